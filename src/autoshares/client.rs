//! [ssr] One async function per AutoShares endpoint.
//!
//! Transport rules (security: `strict-upstream-client`, and reqwest's defaults): a whole-request timeout and a
//! connect timeout, redirects never followed (the key must not travel to
//! another host), a cap on the response size, and a bounded pool. Logs name
//! the endpoint, the status and the time taken: never the URL, the query,
//! a body or a secret.

use std::time::Instant;

use reqwest::{redirect, Method, RequestBuilder};
use serde::Serialize;

use super::config::ApiConfig;
use super::dto::{self, CodeRequest, Envelope, ResetRequest, SetPasswordRequest, TokenAnswer};
use super::endpoints;
use super::endpoints::Endpoint;
use super::error::{AutoSharesError, Unavailable};
use super::secret::{NewPassword, ResetCode, ResetToken, SecretAnswer};

const APP_KEY_HEADER: &str = "Et-App-Key";

/// What `/token` said about a login and password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    /// 200: the credentials are good.
    Succeeded,
    /// 202: good so far; a second factor is expected (`step` is upstream's name for it).
    Expecting { step: String },
    /// 401: wrong credentials.
    Failed,
}

#[derive(Clone)]
pub struct AutoSharesClient {
    http: reqwest::Client,
    config: ApiConfig,
}

impl AutoSharesClient {
    pub fn new(config: ApiConfig) -> Result<Self, AutoSharesError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .redirect(redirect::Policy::none())
            .pool_max_idle_per_host(config.max_idle_per_host)
            .user_agent(concat!("autoshares-portal/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|_| AutoSharesError::Unavailable(Unavailable::Other))?;
        Ok(Self { http, config })
    }

    /// Where the upstream lives (the embedded sandbox's real address, when
    /// it was started on port 0).
    pub fn base_url(&self) -> &url::Url {
        &self.config.base_url
    }

    /// Step A. `None` when the trader has no secret question.
    pub async fn secret_question(&self, login: &str) -> Result<Option<String>, AutoSharesError> {
        let url =
            endpoints::secret_question(&self.config.base_url, &self.config.api_version, login);
        let envelope = self
            .envelope(Endpoint::SecretQuestion, self.request(Method::GET, url))
            .await?;
        Ok(dto::model_text(envelope.model.as_ref()))
    }

    /// Step B: ask upstream to email a code. Also "send a new code".
    pub async fn request_reset(
        &self,
        login: &str,
        answer: Option<&SecretAnswer>,
    ) -> Result<(), AutoSharesError> {
        let body = ResetRequest {
            user: login,
            secret_question_answer: answer.map(SecretAnswer::expose),
        };
        self.send_json(Endpoint::Reset, Method::POST, endpoints::RESET, &body)
            .await
            .map(drop)
    }

    /// Step C: the emailed code for the one-time reset token.
    pub async fn exchange_code(&self, code: &ResetCode) -> Result<ResetToken, AutoSharesError> {
        let body = CodeRequest {
            code: code.expose(),
        };
        let envelope = self
            .send_json(Endpoint::Code, Method::POST, endpoints::RESET_CODE, &body)
            .await?;
        dto::model_text(envelope.model.as_ref())
            .map(ResetToken::new)
            .ok_or(AutoSharesError::Unavailable(Unavailable::UnexpectedShape))
    }

    /// Step D: set the new password with the token.
    pub async fn set_password(
        &self,
        token: &ResetToken,
        password: &NewPassword,
        confirmation: &NewPassword,
    ) -> Result<(), AutoSharesError> {
        let body = SetPasswordRequest {
            token: token.expose(),
            password: password.expose(),
            password_confirmation: confirmation.expose(),
        };
        self.send_json(
            Endpoint::Password,
            Method::PUT,
            endpoints::SET_PASSWORD,
            &body,
        )
        .await
        .map(drop)
    }

    /// The `/token` sign-in check. Upstream's token is not kept.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        verification_code: Option<&str>,
    ) -> Result<SignIn, AutoSharesError> {
        let url = endpoints::unversioned(&self.config.base_url, endpoints::TOKEN);
        let mut request = self
            .request(Method::POST, url)
            .header("Username", username)
            .header("Password", password);
        if let Some(code) = verification_code {
            request = request.header("VerificationCode", code);
        }
        let (status, body) = self.exchange(Endpoint::Token, request).await?;
        let value = dto::parse_json(status, &body)?;
        let answer: TokenAnswer = serde_json::from_value(value)
            .map_err(|_| AutoSharesError::Unavailable(Unavailable::UnexpectedShape))?;
        match (status, answer.state.as_deref()) {
            (200, Some("Succeeded")) => Ok(SignIn::Succeeded),
            (202, Some("Expecting")) => Ok(SignIn::Expecting {
                step: answer.step.unwrap_or_default(),
            }),
            (401, _) | (_, Some("Failed")) => Ok(SignIn::Failed),
            _ => Err(AutoSharesError::Unavailable(Unavailable::UnexpectedShape)),
        }
    }

    fn request(&self, method: Method, url: url::Url) -> RequestBuilder {
        self.http
            .request(method, url)
            .header(APP_KEY_HEADER, self.config.app_key.expose())
            .header(reqwest::header::ACCEPT, "application/json")
    }

    async fn send_json(
        &self,
        endpoint: Endpoint,
        method: Method,
        path: &str,
        body: &impl Serialize,
    ) -> Result<Envelope, AutoSharesError> {
        let url = endpoints::versioned(&self.config.base_url, &self.config.api_version, path);
        self.envelope(endpoint, self.request(method, url).json(body))
            .await
    }

    async fn envelope(
        &self,
        endpoint: Endpoint,
        request: RequestBuilder,
    ) -> Result<Envelope, AutoSharesError> {
        let (status, body) = self.exchange(endpoint, request).await?;
        let parsed = dto::parse_envelope(status, &body);
        if let Err(AutoSharesError::AppKeyRejected) = &parsed {
            tracing::error!(event = "upstream_app_key_rejected", %endpoint);
        }
        parsed
    }

    /// Send, and read at most `max_response_bytes` of the answer.
    async fn exchange(
        &self,
        endpoint: Endpoint,
        request: RequestBuilder,
    ) -> Result<(u16, Vec<u8>), AutoSharesError> {
        let started = Instant::now();
        let outcome = self.read_capped(request).await;
        let elapsed = started.elapsed();
        let elapsed_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
        match &outcome {
            Ok((status, _)) => {
                tracing::info!(event = "upstream_call", %endpoint, status, elapsed_ms)
            }
            Err(err) => {
                tracing::warn!(event = "upstream_call_failed", %endpoint, elapsed_ms, error = %err)
            }
        }
        outcome
    }

    async fn read_capped(
        &self,
        request: RequestBuilder,
    ) -> Result<(u16, Vec<u8>), AutoSharesError> {
        let cap = self.config.max_response_bytes;
        let mut response = request
            .send()
            .await
            .map_err(|e| AutoSharesError::from_transport(&e))?;
        let status = response.status().as_u16();
        if response
            .content_length()
            .is_some_and(|len| len > cap as u64)
        {
            return Err(AutoSharesError::Unavailable(Unavailable::TooLarge));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| AutoSharesError::from_transport(&e))?
        {
            if body.len() + chunk.len() > cap {
                return Err(AutoSharesError::Unavailable(Unavailable::TooLarge));
            }
            body.extend_from_slice(&chunk);
        }
        Ok((status, body))
    }
}
