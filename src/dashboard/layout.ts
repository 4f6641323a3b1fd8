// The page shell every dashboard page shares: head (CSS, vendored htmx + SSE extension, the one
// script of our own; no inline script or style, so the CSP can forbid both), navigation, and the
// CSRF token htmx sends on every request it makes (hx-headers on <body>).
import { html, type Html } from './html.ts';

export interface PageContext {
  /** The CSRF token for this page's forms and htmx requests. */
  csrfToken: string;
  /** The nav entry to mark as current. */
  current?: 'incidents' | 'health' | 'outcomes';
}

const NAV = [
  { key: 'incidents', href: '/', label: 'Incidents' },
  { key: 'health', href: '/health', label: 'Health' },
  { key: 'outcomes', href: '/outcomes', label: 'Outcomes' },
] as const;

// htmx options that matter under a strict CSP: no eval (hx-on, js: values), no injected <style>.
const HTMX_CONFIG = JSON.stringify({ allowEval: false, allowScriptTags: false, includeIndicatorStyles: false, selfRequestsOnly: true });

export function page(title: string, ctx: PageContext, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content="${HTMX_CONFIG}">
<title>${title} · tracefix</title>
<link rel="stylesheet" href="/assets/dashboard.css">
<script src="/assets/vendor/htmx/htmx.min.js" defer></script>
<script src="/assets/vendor/htmx-ext-sse/sse.min.js" defer></script>
<script src="/assets/dashboard.js" defer></script>
</head>
<body hx-headers="${JSON.stringify({ 'x-csrf-token': ctx.csrfToken })}">
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/">tracefix</a>
  <nav aria-label="Main">
    <ul>${NAV.map((n) => html`<li><a href="${n.href}"${n.key === ctx.current ? html` aria-current="page"` : ''}>${n.label}</a></li>`)}</ul>
  </nav>
  <form method="post" action="/logout" class="signout">
    <input type="hidden" name="_csrf" value="${ctx.csrfToken}">
    <button type="submit">Sign out</button>
  </form>
</header>
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>`;
}

/** The sign-in page has no navigation and no htmx. */
export function loginPage(opts: { csrfToken: string; next: string; error?: string; githubSignIn?: boolean }): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · tracefix</title>
<link rel="stylesheet" href="/assets/dashboard.css">
<script src="/assets/dashboard.js" defer></script>
</head>
<body class="login">
<main id="main">
<h1>tracefix</h1>
<form method="post" action="/login" id="login-form" class="card">
  <h2>Sign in</h2>
  ${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ''}
  <input type="hidden" name="_csrf" value="${opts.csrfToken}">
  <input type="hidden" name="next" value="${opts.next}">
  <label for="token">Dashboard token</label>
  <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
  <p class="hint">The value of <code>TRACEFIX_DASHBOARD_TOKEN</code>, or the token <code>tracefix serve</code> printed and wrote to its data directory.</p>
  <button type="submit">Sign in</button>
</form>
${opts.githubSignIn ? html`<p class="card github-sign-in"><a class="button" href="/login/github?next=${encodeURIComponent(opts.next)}">Sign in with GitHub</a></p>` : ''}
</main>
</body>
</html>`;
}

/** An error state inside the shell, for a page whose data could not be loaded. */
export function errorPanel(title: string, detail: string): Html {
  return html`<section class="card error-state" role="alert"><h2>${title}</h2><p>${detail}</p></section>`;
}
