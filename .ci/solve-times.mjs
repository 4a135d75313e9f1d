// How long Chromium takes to solve the page's proof of work: `.ci/bench`'s
// challenge section runs this with a flow's cookie, at the code page of a
// portal whose budgets ask for a proof. Prints one JSON object:
// {"throttle": N, "ms": [solve times as the solver measured them]}.
//
// Usage: node .ci/solve-times.mjs <base> <cookie name=value> <reps> <cpu throttle>
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "..", "end2end", "package.json"));
const { chromium } = require("playwright-core");

const [base, cookie, reps, throttle] = process.argv.slice(2);
const [name, value] = cookie.split(/=(.*)/s);
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
const context = await browser.newContext();
await context.addCookies([{ name, value, url: base }]);
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send("Emulation.setCPUThrottlingRate", { rate: Number(throttle) });
const ms = [];
for (let i = 0; i < Number(reps); i++) {
  await page.goto(`${base}/code`);
  if (!(await page.locator("#challenge").count())) {
    console.error("the code page carries no challenge");
    process.exit(2);
  }
  await page.waitForSelector("#challenge[data-solved]", { state: "attached", timeout: 120000 });
  ms.push(Number(await page.getAttribute("#challenge", "data-ms")));
}
console.log(JSON.stringify({ throttle: Number(throttle), ms }));
await browser.close();
