// The proof-of-work solver (security: `proof-of-work`): a plain script,
// loaded only by a page whose step asks for one. It solves the ALTCHA v2
// challenge in #challenge with WebCrypto's PBKDF2 (native, off the main
// thread), puts the solution into every form's `altcha` field, and holds a
// form sent before it is done until it is. Nothing leaves the page but the
// form post itself.
(() => {
  "use strict";
  const box = document.getElementById("challenge");
  if (!box) return;
  const status = box.querySelector("[data-checking]");
  const bar = box.querySelector("progress");
  const fields = Array.from(document.querySelectorAll('input[name="altcha"]'));
  const say = (key) => {
    status.textContent = status.dataset[key];
    status.hidden = false;
  };
  if (!(window.crypto && crypto.subtle)) {
    say("failed");
    return;
  }
  const challenge = JSON.parse(box.dataset.challenge);
  const p = challenge.parameters;
  const bytes = (hex) => new Uint8Array(hex.match(/../g).map((h) => parseInt(h, 16)));
  const hex = (buf) =>
    Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
  const nonce = bytes(p.nonce);
  const salt = bytes(p.salt);
  const maxTries = Number(box.dataset.max) || 1;

  // The key for one counter: PBKDF2(nonce ‖ counter as 4 bytes big-endian).
  const derive = async (counter) => {
    const password = new Uint8Array(nonce.length + 4);
    password.set(nonce);
    new DataView(password.buffer).setUint32(nonce.length, counter);
    const key = await crypto.subtle.importKey("raw", password, "PBKDF2", false, ["deriveBits"]);
    const bits = await crypto.subtle.deriveBits(
      { name: "PBKDF2", hash: "SHA-256", salt, iterations: p.cost },
      key,
      p.keyLength * 8,
    );
    return hex(bits);
  };

  let solved = null;
  const waiting = [];
  // A form sent before the check is done waits for it, then goes.
  for (const field of fields) {
    field.form.addEventListener("submit", (event) => {
      if (solved) return;
      event.preventDefault();
      waiting.push([field.form, event.submitter]);
    });
  }

  const solve = async () => {
    const started = performance.now();
    // Several tries in flight at once: WebCrypto runs them in parallel.
    const batch = Math.min(8, Math.max(2, navigator.hardwareConcurrency || 2));
    for (let counter = 0; counter < 1 << 30; counter += batch) {
      const keys = await Promise.all(
        Array.from({ length: batch }, (_, i) => derive(counter + i)),
      );
      const found = keys.findIndex((key) => key.startsWith(p.keyPrefix));
      if (found >= 0) {
        const solution = {
          counter: counter + found,
          derivedKey: keys[found],
          time: Math.round(performance.now() - started),
        };
        box.dataset.ms = String(solution.time);
        return btoa(JSON.stringify({ challenge, solution }));
      }
      if (bar) bar.value = Math.min(99, Math.round((100 * counter) / maxTries));
    }
    throw new Error("no solution");
  };

  // A page that answers a post refused for want of a proof sends its
  // filled form again once solved: at most once a minute per tab, so a
  // refusal again (a clock far off, a proof spent elsewhere) never loops.
  const resend = () => {
    if (box.dataset.resend !== "true") return;
    const filled = (form) =>
      Array.from(form.querySelectorAll("input:not([type=hidden])")).every((i) => i.value.trim());
    const form = fields.map((field) => field.form).find(filled);
    if (!form) return;
    try {
      const last = Number(sessionStorage.getItem("challenge-resent")) || 0;
      if (Date.now() - last < 60000) return;
      sessionStorage.setItem("challenge-resent", String(Date.now()));
    } catch (_) {
      return;
    }
    form.requestSubmit();
  };

  say("checking");
  if (bar) bar.hidden = false;
  solve().then(
    (payload) => {
      solved = payload;
      for (const field of fields) field.value = payload;
      if (bar) bar.hidden = true;
      say("done");
      box.dataset.solved = "true";
      const held = waiting.splice(0);
      for (const [form, submitter] of held) form.requestSubmit(submitter);
      if (!held.length) resend();
    },
    () => say("failed"),
  );
})();
