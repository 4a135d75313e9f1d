//! [ssr] The step runner: what a step may decide ([`Outcome`]), how it
//! stops early ([`Exit`], `?`-able), and the one function that carries a
//! decision out ([`StepContext::conclude`]): the session write, the id
//! rotation, the redirect and the step-outcome metric.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use leptos::prelude::use_context;

use super::gateway;
use super::identity::ident_hash;
use super::session::FlowSession;
use crate::autoshares::endpoints::Endpoint;
use crate::autoshares::secret::SecretAnswer;
use crate::error::PortalError;
use crate::flow::machine::{Flow, Refusal};
use crate::flow::{EndReason, Step, EXPIRED_PATH};
use crate::state::AppState;
use std::sync::Arc;

use crate::autoshares::error::AutoSharesError;
use crate::store::counters::Millis;
use crate::store::limits::{
    minutes, until, Budget, ClientNet, Limited, Limiter, Pressure, Verdict,
};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use super::challenge::{self, ProofOffered};
use crate::store::{Lockout, Reserved};
use crate::telemetry::metrics;

/// What a step decided.
#[derive(Debug)]
pub enum Outcome {
    /// The flow moved on: new session id, new state, on to its page.
    Advance(Flow),
    /// The flow stays on its step (counters and idle timer kept) and the
    /// trader sees `error` next to the form.
    Stay(Flow, PortalError),
    /// The flow is destroyed (expired, or too many wrong tries); the
    /// expired page says why.
    End(EndReason),
    /// The password was changed: the flow is destroyed, the done page shown.
    Finish,
    /// Nothing to do on this step: go to `path`.
    GoTo(&'static str),
}

/// Why a step stopped before deciding. `?` in a step turns a
/// [`PortalError`] into a refusal, and [`StepContext::admit`] sends the
/// trader elsewhere (wrong step, expired) the same way.
#[derive(Debug)]
pub enum Exit {
    /// Not this step's business: carry out this outcome instead.
    Elsewhere(Outcome),
    /// Refused: the trader sees this error on the same page.
    Refused(PortalError),
}

impl From<PortalError> for Exit {
    fn from(error: PortalError) -> Self {
        Exit::Refused(error)
    }
}

/// What a step's `decide` returns.
pub type Decision = Result<Outcome, Exit>;

/// The one reading of the clock a step makes, in milliseconds since the
/// Unix epoch. The flow counts in seconds ([`Now::secs`]), the limits in
/// milliseconds ([`Now::millis`]): both come from this one reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Now(Millis);

impl Now {
    pub fn read() -> Self {
        let millis = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or_default();
        Now(millis)
    }

    pub fn millis(self) -> Millis {
        self.0
    }

    pub fn secs(self) -> u64 {
        u64::try_from(self.0 / 1000).unwrap_or_default()
    }
}

/// What a trader posted, as the step-outcome metric names it.
#[derive(Clone, Copy, Debug)]
pub enum Action {
    Login,
    Answer,
    Code,
    ResendCode,
    Password,
    StartOver,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Login => "login",
            Action::Answer => "answer",
            Action::Code => "code",
            Action::ResendCode => "resend_code",
            Action::Password => "password",
            Action::StartOver => "start_over",
        }
    }
}

/// What one upstream call may spend, declared by the step at the call:
/// the runner reserves every budget of it before the call and gives back
/// what the answer proves unspent ([`Budget::spent_on`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spend {
    /// Step B without an answer: a code email (per login, portal-wide).
    CodeEmail,
    /// Step B with an answer: a code email, or a wrong answer.
    AnswerOrCodeEmail,
    /// Step C: a guess at a code (per login, per network, portal-wide).
    CodeGuess,
}

impl Spend {
    fn budgets(self) -> &'static [Budget] {
        match self {
            Spend::CodeEmail => &[Budget::CodeEmails, Budget::PortalCodeEmails],
            Spend::AnswerOrCodeEmail => &[
                Budget::WrongAnswers,
                Budget::CodeEmails,
                Budget::PortalCodeEmails,
            ],
            Spend::CodeGuess => &[
                Budget::WrongCodes,
                Budget::NetworkWrongCodes,
                Budget::PortalWrongCodes,
            ],
        }
    }
}

/// What the posts of `step`'s page may spend: the budgets whose pressure
/// puts a proof of work on the page.
pub fn spends(step: Step) -> &'static [Spend] {
    match step {
        Step::Start => &[Spend::CodeEmail],
        Step::Question => &[Spend::AnswerOrCodeEmail],
        Step::Code => &[Spend::CodeGuess, Spend::CodeEmail],
        Step::Password | Step::Done => &[],
    }
}

/// The budgets `spend` takes, each with its subject: the network for the
/// per-network budget, the hashed login for the others (ignored by the
/// portal-wide ones).
pub fn asks(spend: Spend, ident: &str, net: ClientNet) -> Vec<(Budget, String)> {
    spend
        .budgets()
        .iter()
        .map(|&budget| {
            let subject = match budget {
                Budget::NetworkWrongCodes => net.to_string(),
                Budget::WrongAnswers
                | Budget::CodeEmails
                | Budget::WrongCodes
                | Budget::PortalWrongCodes
                | Budget::PortalCodeEmails => ident.to_string(),
            };
            (budget, subject)
        })
        .collect()
}

/// Reservations taken for one call, settled once its answer is known.
#[derive(Debug, Default)]
pub struct Spending {
    held: Vec<(Budget, Reserved)>,
}

/// What a call's settlement says beyond its answer.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Settled {
    /// A kept wrong answer filled the login's window: it is locked out.
    pub lockout: Option<Lockout>,
}

/// The step lease this context holds, given back when the step is done
/// (or, if the request was dropped half-way, by a task of its own). While
/// it is held, a task renews it every third of `step_lease_secs`: a step
/// may take as long as it needs, and an instance that dies mid-step stops
/// renewing, so its traders wait at most `step_lease_secs` to go on.
/// The reservations the step gives back go back with it, in the same
/// store call (until then they still count: never fewer than spent).
struct StepLease {
    limiter: Arc<Limiter>,
    session: String,
    holder: String,
    held: bool,
    renewal: tokio::task::AbortHandle,
    unspent: std::sync::Mutex<Vec<Reserved>>,
}

impl StepLease {
    /// Take-and-renew: the renewal task for a lease just taken.
    fn renew_every(
        limiter: Arc<Limiter>,
        session: String,
        holder: String,
        ttl: std::time::Duration,
    ) -> tokio::task::AbortHandle {
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(ttl / 3).await;
                let renewed = limiter
                    .lease_step(&session, &holder, ttl, Now::read().millis())
                    .await;
                if !matches!(renewed, Ok(true)) {
                    tracing::warn!(event = "step_lease_renewal_failed");
                    return;
                }
            }
        })
        .abort_handle()
    }
}

impl Drop for StepLease {
    fn drop(&mut self) {
        self.renewal.abort();
        if !self.held {
            return;
        }
        let limiter = self.limiter.clone();
        let (session, holder) = (self.session.clone(), self.holder.clone());
        let unspent = self.take_unspent();
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let _ = limiter.release_step(&session, &holder, &unspent).await;
            });
        }
    }
}

impl StepLease {
    async fn give_back(mut self) {
        self.renewal.abort();
        self.held = false;
        let unspent = self.take_unspent();
        if self
            .limiter
            .release_step(&self.session, &self.holder, &unspent)
            .await
            .is_err()
        {
            tracing::warn!(event = "step_lease_release_failed");
        }
    }

    /// Keep `reserved` to give back with the lease. (A list is whole even
    /// if a panic poisoned its lock: nothing panics while holding it.)
    fn give_back_later(&self, reserved: Vec<Reserved>) {
        self.unspent
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend(reserved);
    }

    fn take_unspent(&self) -> Vec<Reserved> {
        std::mem::take(
            &mut *self
                .unspent
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }
}

/// Where a step leaves its lease for [`give_leases_back_after_save`] to
/// give back once the session layer has saved what the step wrote.
#[derive(Clone, Default)]
pub struct LeaseSlot(Arc<std::sync::Mutex<Option<Handover>>>);

/// What a concluded step leaves in its [`LeaseSlot`].
struct Handover {
    lease: Option<StepLease>,
    action: Action,
    /// The store time it spent on its lease and budgets so far.
    guard: Duration,
}

impl Handover {
    /// Give the lease back (with what the step did not spend) and record
    /// the step's guard time, that give-back included.
    async fn finish(self) {
        let started = Instant::now();
        if let Some(lease) = self.lease {
            lease.give_back().await;
        }
        metrics::step_guard(self.action.as_str(), self.guard + started.elapsed());
    }
}

/// The layer just outside the session layer: a post's step lease goes back
/// only after the session is saved, so the next post of the flow reads what
/// this one wrote (and no extra save is needed).
pub async fn give_leases_back_after_save(
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if request.method() != axum::http::Method::POST {
        return next.run(request).await;
    }
    let slot = LeaseSlot::default();
    request.extensions_mut().insert(slot.clone());
    let response = next.run(request).await;
    let handover = slot.0.lock().ok().and_then(|mut held| held.take());
    if let Some(handover) = handover {
        handover.finish().await;
    }
    response
}

/// Everything one step needs: the state, the session, the client's
/// network, and the one `now`.
pub struct StepContext {
    pub state: AppState,
    pub session: FlowSession,
    pub net: ClientNet,
    pub now: Now,
    lease: Option<StepLease>,
    /// Where the lease goes when the step is done (absent in unit tests:
    /// then the step saves and gives it back itself).
    slot: Option<LeaseSlot>,
    /// The proof of work the post carried, if any.
    pub proof: Option<String>,
    /// A proof of work was spent by this post: its later calls need none.
    proven: AtomicBool,
    /// Store time spent on the step lease and the budgets, in µs
    /// (`portal_step_guard_seconds`).
    guard_micros: AtomicU64,
}

impl StepContext {
    /// The context of the server function being served, holding its
    /// flow's step lease (security: `one-step-per-flow`): while another
    /// post of the same flow runs, this one stops here, before any
    /// upstream call.
    pub async fn current() -> Result<Self, PortalError> {
        let state = use_context::<AppState>().ok_or_else(|| {
            tracing::error!(event = "app_state_missing");
            PortalError::Unavailable
        })?;
        let session = FlowSession::current(state.sealer.clone()).await?;
        let net = leptos_axum::extract::<axum::Extension<ClientNet>>()
            .await
            .map(|axum::Extension(net)| net)
            .map_err(|_| {
                tracing::error!(event = "client_network_missing");
                PortalError::Unavailable
            })?;
        let mut ctx = Self::new(state, session, net, Now::read());
        ctx.slot = leptos_axum::extract::<axum::Extension<LeaseSlot>>()
            .await
            .ok()
            .map(|axum::Extension(slot)| slot);
        ctx.proof = leptos_axum::extract::<axum::Extension<ProofOffered>>()
            .await
            .ok()
            .map(|axum::Extension(ProofOffered(proof))| proof);
        ctx.take_lease().await?;
        Ok(ctx)
    }

    pub fn new(state: AppState, session: FlowSession, net: ClientNet, now: Now) -> Self {
        Self {
            state,
            session,
            net,
            now,
            lease: None,
            slot: None,
            proof: None,
            proven: AtomicBool::new(false),
            guard_micros: AtomicU64::new(0),
        }
    }

    /// Take this session's step lease. A session without an id yet (a
    /// fresh browser at step 1) has no flow to protect.
    pub async fn take_lease(&mut self) -> Result<(), PortalError> {
        let Some(id) = self.session.0.id() else {
            return Ok(());
        };
        let session = ident_hash(self.state.hmac_key.expose(), &id.to_string());
        let holder = format!("{:016x}", rand::random::<u64>());
        let limiter = self.state.limiter.clone();
        let taken = self
            .guarded(limiter.lease_step(
                &session,
                &holder,
                self.state.config.step_lease,
                self.now.millis(),
            ))
            .await
            .map_err(|_| PortalError::Unavailable)?;
        if !taken {
            tracing::info!(event = "step_in_progress");
            metrics::rate_limited("step_in_progress");
            return Err(PortalError::StepInProgress);
        }
        let renewal = StepLease::renew_every(
            limiter.clone(),
            session.clone(),
            holder.clone(),
            self.state.config.step_lease,
        );
        self.lease = Some(StepLease {
            limiter,
            session,
            holder,
            held: true,
            renewal,
            unspent: std::sync::Mutex::default(),
        });
        Ok(())
    }

    /// Count a step's decision and carry it out. The only place that
    /// writes the flow, rotates the session id or redirects after a step.
    /// What the step wrote is saved before its lease is given back, so
    /// the next post of this flow reads it.
    pub async fn conclude(
        &mut self,
        action: Action,
        decision: Decision,
    ) -> Result<(), PortalError> {
        let result = match decision {
            Ok(outcome) | Err(Exit::Elsewhere(outcome)) => {
                metrics::step_outcome(action.as_str(), outcome_label(&outcome));
                self.apply(outcome).await
            }
            Err(Exit::Refused(error)) => {
                metrics::step_outcome(action.as_str(), error.class().label);
                Err(error)
            }
        };
        let saved = self.hand_lease_over(action).await;
        saved?;
        let next = result?;
        leptos_axum::redirect(next);
        Ok(())
    }

    /// Write `flow` and save it to the store now, mid-step, before an
    /// upstream call whose answer could be lost (security:
    /// `password-put-recorded`). The store refusing is the trader's
    /// calm "unavailable", and nothing went upstream.
    pub async fn record(&self, flow: &Flow) -> Result<(), PortalError> {
        self.session.keep(flow).await?;
        self.save().await
    }

    /// Save what the step changed now (the session layer would save it
    /// only after the answer is built, when the lease is already gone).
    async fn save(&self) -> Result<(), PortalError> {
        if !self.session.0.is_modified() {
            return Ok(());
        }
        self.session.0.save().await.map_err(|_| {
            tracing::error!(event = "session_save_failed");
            PortalError::Unavailable
        })
    }

    /// The step is done with its lease: leave it for the layer outside
    /// the session layer (which gives it back after the session's save),
    /// or, without that layer, save now and give it back.
    async fn hand_lease_over(&mut self, action: Action) -> Result<(), PortalError> {
        let handover = Handover {
            lease: self.lease.take(),
            action,
            guard: Duration::from_micros(self.guard_micros.load(Ordering::Acquire)),
        };
        if let Some(slot) = &self.slot {
            if let Ok(mut held) = slot.0.lock() {
                *held = Some(handover);
                return Ok(());
            }
        }
        let saved = match handover.lease {
            Some(_) => self.save().await,
            None => Ok(()),
        };
        handover.finish().await;
        saved
    }

    /// `call`, a store call for the step lease or the budgets, timed into
    /// the step's guard time.
    async fn guarded<T>(&self, call: impl std::future::Future<Output = T>) -> T {
        let started = Instant::now();
        let out = call.await;
        let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.guard_micros.fetch_add(micros, Ordering::AcqRel);
        out
    }

    /// Write what `outcome` says to the session and answer the page the
    /// trader goes to next (or the error they see on this one).
    pub async fn apply(&self, outcome: Outcome) -> Result<&'static str, PortalError> {
        match outcome {
            Outcome::Advance(flow) => {
                self.session
                    .advance(&flow, &self.state.store.sessions)
                    .await?;
                Ok(flow.step().path())
            }
            Outcome::Stay(flow, error) => {
                self.session.keep(&flow).await?;
                Err(error)
            }
            Outcome::End(reason) => {
                self.session.end_because(reason).await;
                Ok(EXPIRED_PATH)
            }
            Outcome::Finish => {
                self.session.finish(&self.state.store.sessions).await?;
                Ok(Step::Done.path())
            }
            Outcome::GoTo(path) => Ok(path),
        }
    }

    pub fn ident(&self, login: &str) -> String {
        ident_hash(self.state.hmac_key.expose(), login)
    }

    /// The flow, if it may serve `step` now; otherwise the exit that sends
    /// the trader where they belong (wrong step, expired or no flow).
    pub async fn admit(&self, step: Step) -> Result<Flow, Exit> {
        let Some(flow) = self.session.flow().await? else {
            // A repeat of the last step whose answer was lost: it is done.
            if self.session.is_done().await {
                return Err(Exit::Elsewhere(Outcome::GoTo(Step::Done.path())));
            }
            return Err(Exit::Elsewhere(Outcome::GoTo(EXPIRED_PATH)));
        };
        match flow.admit(step, self.now.secs(), &self.state.config.flow_limits) {
            Ok(()) => Ok(flow),
            Err(Refusal::WrongStep(actual)) => Err(Exit::Elsewhere(Outcome::GoTo(actual.path()))),
            Err(Refusal::Expired | Refusal::CodesExhausted | Refusal::AttemptsExhausted) => {
                tracing::info!(event = "flow_expired", ident = %self.ident(flow.login()));
                Err(Exit::Elsewhere(Outcome::End(EndReason::Expired)))
            }
        }
    }

    /// Reserve every budget `spend` takes, before any upstream call
    /// (security: `reserve-budget-first`). Refused when one is spent; what
    /// was already taken is given back. Fails closed. When a budget is
    /// close to spent, the post must carry a proof of work (security:
    /// `proof-of-work`), judged by what the budgets held before this
    /// reservation, as the page that asked for it was.
    pub async fn reserve(&self, spend: Spend, ident: &str) -> Result<Spending, PortalError> {
        let asks = asks(spend, ident, self.net);
        let answers = self
            .guarded(self.state.limiter.reserve_all(&asks, self.now.millis()))
            .await
            .map_err(|_| PortalError::Unavailable)?;
        let mut spending = Spending::default();
        let mut refusals = Vec::new();
        for ((budget, _), answer) in asks.into_iter().zip(answers) {
            match answer {
                Ok(reserved) => spending.held.push((budget, reserved)),
                Err(limited) => refusals.push((budget, limited)),
            }
        }
        let policy = &self.state.challenges.policy;
        let limiter = &self.state.limiter;
        let mut pressure = spending.held.iter().fold(None, |pressure, (budget, r)| {
            let before = r.count.saturating_sub(1);
            Pressure::join(
                pressure,
                limiter.pressure_of(*budget, before, policy, self.now.millis()),
            )
        });
        for (budget, limited) in refusals {
            // `None`: a portal-wide budget crossed by a clean network,
            // served outside the portal's window (with the hardest proof).
            if let Some(error) = self.over_budget(budget, limited, &spending, ident).await {
                self.give_back(&spending).await;
                return Err(error);
            }
            let full = limiter.budgets().max(budget);
            pressure = Pressure::join(
                pressure,
                limiter.pressure_of(budget, full, policy, self.now.millis()),
            );
        }
        if let Some(pressure) = pressure {
            if let Err(error) = self.prove(pressure).await {
                self.give_back(&spending).await;
                return Err(error);
            }
        }
        Ok(spending)
    }

    /// The post's proof of work, judged against `pressure`: spent once
    /// (across instances) if it holds; otherwise the step stops here, its
    /// reservations given back and nothing sent upstream.
    async fn prove(&self, pressure: Pressure) -> Result<(), PortalError> {
        if self.proven.load(Ordering::Acquire) {
            return Ok(());
        }
        let level = pressure.level.label();
        let now = self.now.millis();
        let failure = match self
            .state
            .challenges
            .check(self.proof.as_deref().unwrap_or_default(), pressure.level)
        {
            Ok(checked) => match challenge::spend(&self.state.limiter, &checked, now).await {
                Ok(true) => {
                    metrics::challenge("solved", level);
                    self.proven.store(true, Ordering::Release);
                    return Ok(());
                }
                Ok(false) => challenge::Failure::Replayed,
                Err(_) => return Err(PortalError::Unavailable),
            },
            Err(failure) => failure,
        };
        metrics::challenge(failure.label(), level);
        tracing::info!(event = "challenge_refused", reason = failure.label(), level, net = %self.net);
        Err(PortalError::ChallengeRequired {
            minutes: pressure.minutes_left(now),
        })
    }

    /// What a spent budget means for this request: the error the trader
    /// sees, or `None` when a clean network is still served past a
    /// portal-wide budget.
    async fn over_budget(
        &self,
        budget: Budget,
        limited: Limited,
        spending: &Spending,
        ident: &str,
    ) -> Option<PortalError> {
        let wait = match limited {
            Limited::StoreDown(_) => return Some(PortalError::Unavailable),
            Limited::Wait(wait) => wait,
        };
        let minutes = minutes(wait);
        if budget.is_portal_wide() {
            if let Ok(true) = self
                .state
                .limiter
                .first_crossing(budget, self.now.millis())
                .await
            {
                tracing::error!(
                    event = "abuse_suspected",
                    budget = budget.label(),
                    max = self.state.limiter.budgets().max(budget),
                    window_minutes = budget.window().as_secs() / 60,
                    "a portal-wide budget is spent: someone may be guessing codes or flooding code emails"
                );
                metrics::abuse_suspected(budget.label());
            }
        }
        metrics::rate_limited(budget.label());
        tracing::warn!(event = "rate_limited", what = budget.label(), ident, net = %self.net);
        match budget {
            Budget::WrongAnswers | Budget::WrongCodes | Budget::NetworkWrongCodes => {
                Some(PortalError::TooManyAttempts { minutes })
            }
            Budget::CodeEmails => Some(PortalError::TooManyCodes {
                max: self.state.limiter.budgets().code_emails,
            }),
            Budget::PortalCodeEmails => Some(PortalError::TooBusy { minutes }),
            Budget::PortalWrongCodes => {
                // Past the portal's budget, a network that already guessed
                // wrong in its window guesses no more; a clean one is served.
                let guessed_before = spending
                    .held
                    .iter()
                    .any(|(b, reserved)| *b == Budget::NetworkWrongCodes && reserved.count > 1);
                guessed_before.then_some(PortalError::TooManyAttempts { minutes })
            }
        }
    }

    /// Give every reservation back.
    async fn give_back(&self, spending: &Spending) {
        let held = spending.held.iter().map(|(_, r)| r.clone()).collect();
        self.release(held).await;
    }

    /// Give `reserved` back: with the step lease when one is held (one
    /// store call at the step's end), else now.
    async fn release(&self, reserved: Vec<Reserved>) {
        match &self.lease {
            Some(lease) => lease.give_back_later(reserved),
            None => {
                self.guarded(self.state.limiter.release_all(&reserved))
                    .await
            }
        }
    }

    /// Keep what `verdict` spent, give back the rest.
    pub async fn settle(
        &self,
        spending: Spending,
        verdict: Verdict,
        ident: &str,
    ) -> Result<Settled, PortalError> {
        let mut settled = Settled::default();
        let mut unspent = Vec::new();
        for (budget, reserved) in &spending.held {
            if budget.spent_on() != verdict {
                unspent.push(reserved.clone());
            } else if *budget == Budget::WrongAnswers {
                settled.lockout = self
                    .guarded(self.state.limiter.wrong_answer_kept(
                        reserved,
                        ident,
                        self.now.millis(),
                    ))
                    .await
                    .map_err(|_| PortalError::Unavailable)?;
            }
        }
        self.release(unspent).await;
        Ok(settled)
    }

    /// One upstream call that spends `spend`: reserved before, settled by
    /// its answer.
    pub async fn call<T>(
        &self,
        endpoint: Endpoint,
        spend: Spend,
        ident: &str,
        call: impl std::future::Future<Output = Result<T, AutoSharesError>>,
    ) -> Result<(Result<T, AutoSharesError>, Settled), PortalError> {
        let spending = self.reserve(spend, ident).await?;
        let answer = match self.state.gateway.call(endpoint, call).await {
            Ok(answer) => answer,
            Err(error) => {
                self.give_back(&spending).await;
                return Err(error);
            }
        };
        let verdict = match &answer {
            Ok(_) => Verdict::Accepted,
            Err(AutoSharesError::Rejected { .. }) => Verdict::Rejected,
            Err(AutoSharesError::AppKeyRejected | AutoSharesError::Unavailable(_)) => {
                Verdict::NotSent
            }
        };
        let settled = self.settle(spending, verdict, ident).await?;
        Ok((answer, settled))
    }

    /// A call a known login would make, skipped (a decoy flow, a code that
    /// can't be one): it spends as if AutoShares had answered `as_if`,
    /// and takes as long as the call usually does.
    pub async fn skip(
        &self,
        endpoint: Endpoint,
        spend: Spend,
        ident: &str,
        as_if: Verdict,
    ) -> Result<Settled, PortalError> {
        let spending = self.reserve(spend, ident).await?;
        self.state.gateway.skip(endpoint).await;
        self.settle(spending, as_if, ident).await
    }

    /// Spend `spend` as if AutoShares had answered `as_if`, with no call
    /// and no wait (a code that can't be one).
    pub async fn count_as(
        &self,
        spend: Spend,
        ident: &str,
        as_if: Verdict,
    ) -> Result<Settled, PortalError> {
        let spending = self.reserve(spend, ident).await?;
        self.settle(spending, as_if, ident).await
    }

    /// A refusal after `admit` succeeded means the flow and the page
    /// disagree: treat it as an expired flow rather than guess.
    pub fn refused(&self, refusal: Refusal) -> PortalError {
        match refusal {
            Refusal::CodesExhausted => PortalError::TooManyCodes {
                max: self.state.config.flow_limits.max_codes,
            },
            Refusal::AttemptsExhausted => PortalError::TooManyAttempts { minutes: 0 },
            Refusal::WrongStep(_) | Refusal::Expired => PortalError::SessionExpired,
        }
    }

    /// Too many wrong answers or codes. With a lockout, the expired page
    /// says how long it lasts; a flow ended by wrong codes alone can start
    /// again at once.
    pub fn burned(&self, ident: &str, lockout: Option<Lockout>) -> Outcome {
        tracing::warn!(event = "flow_burned", ident);
        let minutes = lockout.map_or(0, |l| minutes(until(l.until, self.now.millis())));
        Outcome::End(EndReason::TooManyAttempts { minutes })
    }

    /// Ask upstream to email a code (step B), within its budgets.
    pub async fn send_code(
        &self,
        login: &str,
        ident: &str,
        answer: Option<&SecretAnswer>,
    ) -> Result<(), PortalError> {
        let client = &self.state.client;
        let (answer, _) = self
            .call(
                Endpoint::Reset,
                Spend::CodeEmail,
                ident,
                client.request_reset(login, answer),
            )
            .await?;
        answer.map_err(|err| gateway::upstream(Endpoint::Reset, ident, &err))
    }
}

/// The outcome label of a step's decision.
fn outcome_label(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Advance(_) | Outcome::Finish => "advanced",
        Outcome::Stay(_, error) => error.class().label,
        Outcome::End(EndReason::Expired) => "expired",
        Outcome::End(EndReason::TooManyAttempts { .. }) => "burned",
        Outcome::GoTo(path) if *path == EXPIRED_PATH => "expired",
        Outcome::GoTo(_) => "redirected",
    }
}
