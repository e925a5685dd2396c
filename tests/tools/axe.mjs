#!/usr/bin/env node
// Open each HTML file from file:// in headless Chromium (the system browser, driven by playwright-core),
// run axe-core in it and print one JSON document on stdout:
//   {chromium, axe, pages: [{file, url, title, violations, consoleErrors, pageErrors, requests}]}
// `requests` lists every request the page made other than for itself; a self-contained brief makes none.
// Outbound http(s) requests are recorded, then aborted, so a check never reaches the network.
//
// usage: node tests/tools/axe.mjs FILE.html [FILE.html ...]
// env:   CHROMIUM (default /usr/bin/chromium), AXE_SETTLE_MS (default 500: wait after load for late requests)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const AXE_VERSION = require("axe-core/package.json").version;
const SETTLE_MS = Number(process.env.AXE_SETTLE_MS ?? 500);

// The flags this machine needs: no sandbox as root, no GPU, and none of Chromium's own background traffic,
// so that any request we see was made by the page.
const ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-default-apps", "--disable-extensions",
];

// data: and blob: URLs are the page's own bytes (inlined images, fonts), not requests to anywhere.
const isOwnBytes = (url) => url.startsWith("data:") || url.startsWith("blob:") || url === "about:blank";

async function checkPage(context, file) {
  const url = pathToFileURL(resolve(file)).href;
  const page = await context.newPage();
  const out = { file, url, title: null, violations: [], incomplete: 0, consoleErrors: [], pageErrors: [], requests: [] };
  // Once axe runs, what happens is axe's doing (it may fetch linked stylesheets), not the page's.
  let scanning = false;
  page.on("console", (msg) => {
    if (msg.type() === "error" && !scanning) out.consoleErrors.push({ text: msg.text(), location: msg.location() });
  });
  page.on("pageerror", (err) => out.pageErrors.push(String(err && err.stack ? err.stack : err)));
  page.on("request", (req) => {
    const u = req.url();
    if (u === url || isOwnBytes(u) || scanning) return;
    out.requests.push({ url: u, method: req.method(), resourceType: req.resourceType() });
  });
  page.on("websocket", (ws) => out.requests.push({ url: ws.url(), method: "GET", resourceType: "websocket" }));
  try {
    await page.goto(url, { waitUntil: "load", timeout: 30000 });
    await page.waitForTimeout(SETTLE_MS);
    out.title = await page.title();
    scanning = true;
    // evaluate() runs through the DevTools protocol, so a strict Content-Security-Policy cannot block axe.
    await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { resultTypes: ["violations", "incomplete"] });
      return {
        violations: r.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
          nodes: v.nodes.length,
          examples: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 300), summary: n.failureSummary })),
        })),
        incomplete: r.incomplete.length,
      };
    });
    out.violations = result.violations;
    out.incomplete = result.incomplete;
  } catch (err) {
    out.pageErrors.push(`checker could not open or scan the page: ${err && err.message ? err.message : err}`);
  } finally {
    await page.close();
  }
  return out;
}

async function main() {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    process.stderr.write("usage: node axe.mjs FILE.html [FILE.html ...]\n");
    process.exit(64);
  }
  // launch() gives Chromium a fresh, empty --user-data-dir of its own and removes it on close.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ARGS,
  });
  const context = await browser.newContext({ serviceWorkers: "block" });
  try {
    await context.route(/^(https?|wss?|ftp):/, (route) => route.abort("blockedbyclient"));
    const pages = [];
    for (const f of files) pages.push(await checkPage(context, f));
    process.stdout.write(JSON.stringify({ chromium: browser.version(), axe: AXE_VERSION, pages }, null, 2) + "\n");
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  process.stderr.write(`axe.mjs: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
