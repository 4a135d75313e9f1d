//! [ssr] The language a request gets, and the switcher's `?lang=`.
//!
//! The `lang` cookie (set by the switcher; kept apart from the session
//! cookie, and outliving it) wins; else `Accept-Language`; else the
//! deployment's default (`i18n::catalog::negotiate`).

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_sessions::cookie::{Cookie, SameSite};

use crate::i18n::catalog::negotiate;
use crate::i18n::{Lang, Languages};
use crate::state::AppState;

/// The cookie the switcher sets.
pub const COOKIE: &str = "lang";

/// The language for a request with these headers.
pub fn of_request(headers: &HeaderMap, languages: &Languages) -> Lang {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    negotiate(cookie(headers, COOKIE), accept, languages)
}

/// The value of cookie `name`, if the request carries it (parsed by the
/// `cookie` crate).
fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .and_then(|c| c.value_raw())
}

/// `GET <page>?lang=xx`: remember the language in the `lang` cookie and
/// come back to the same page (303), so a trader mid-flow keeps their
/// place. An unknown or not offered language changes nothing.
pub async fn switch(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let wanted = (request.method() == Method::GET)
        .then(|| request.uri().query())
        .flatten()
        .and_then(|query| {
            url::form_urlencoded::parse(query.as_bytes())
                .find_map(|(k, v)| (k == "lang").then(|| v.into_owned()))
        });
    let Some(wanted) = wanted else {
        return next.run(request).await;
    };
    let path = request.uri().path().to_string();
    let location = HeaderValue::from_str(&path).unwrap_or(HeaderValue::from_static("/"));
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
    let offered = &state.config.languages.offered;
    if let Some(lang) = Lang::from_code(&wanted).filter(|l| offered.contains(l)) {
        let cookie = Cookie::build((COOKIE, lang.code()))
            .path("/")
            .max_age(time::Duration::days(365))
            .same_site(SameSite::Lax)
            .http_only(true)
            .secure(state.config.is_https())
            .build()
            .to_string();
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_wins_over_accept_language() {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("de"));
        assert_eq!(of_request(&headers, &Languages::default()), Lang::De);
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("reset=abc; lang=pt-BR"),
        );
        assert_eq!(of_request(&headers, &Languages::default()), Lang::PtBr);
    }
}
