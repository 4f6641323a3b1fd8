/* global window, document, history */
// The dashboard's only script of its own (served from /assets, allowed by the CSP as 'self').
// 1. Sign-in: a token in the URL fragment (the link `tracefix serve` prints) fills the form and is
//    removed from the address bar; fragments never reach the server.
// 2. Actions: approve / reject / re-run post JSON (the API's body format) through htmx; their
//    answer is shown as text, never swapped in as HTML, then the page reloads to show the new state.
(function () {
  'use strict';

  function signIn() {
    var form = document.getElementById('login-form');
    if (!form) return;
    var match = /^#token=([^&]+)$/.exec(window.location.hash);
    if (!match) return;
    history.replaceState(null, '', window.location.pathname + window.location.search);
    form.elements.namedItem('token').value = decodeURIComponent(match[1]);
    form.submit();
  }

  function defineJsonExtension() {
    if (!window.htmx) return;
    window.htmx.defineExtension('json-form', {
      onEvent: function (name, evt) {
        if (name === 'htmx:configRequest') evt.detail.headers['Content-Type'] = 'application/json';
      },
      encodeParameters: function (xhr, parameters) {
        xhr.overrideMimeType('text/json');
        var body = {};
        parameters.forEach(function (value, key) {
          if (key !== '_csrf') body[key] = value;
        });
        return JSON.stringify(body);
      },
    });
  }

  function onActionDone(evt) {
    var form = evt.detail.elt;
    if (!form || !form.matches || !form.matches('form[data-action]')) return;
    var out = document.getElementById('action-result');
    var xhr = evt.detail.xhr;
    var message = '';
    try {
      var body = JSON.parse(xhr.responseText);
      if (body && typeof body.message === 'string') message = body.message;
    } catch {
      // not JSON: the status alone is shown
    }
    var ok = xhr.status >= 200 && xhr.status < 300;
    if (out) {
      out.textContent = ok ? 'Done (' + form.getAttribute('data-action') + '). Refreshing…' : 'Failed (' + xhr.status + ')' + (message ? ': ' + message : '');
      out.className = 'action-result ' + (ok ? 'ok' : 'failed');
    }
    if (ok) setTimeout(function () { window.location.reload(); }, 800);
  }

  /** The live list says when its event stream is down (the browser reconnects by itself). */
  function liveState(connected) {
    var note = document.querySelector('.live-note');
    if (!note) return;
    note.classList.toggle('offline', !connected);
    note.lastChild.textContent = connected
      ? ' Live: rows update as alerts arrive and runs progress.'
      : ' Live updates are disconnected; reconnecting… (reload to see the latest)';
  }

  function start() {
    signIn();
    defineJsonExtension();
    document.body.addEventListener('htmx:afterRequest', onActionDone);
    document.body.addEventListener('htmx:sseOpen', function () { liveState(true); });
    document.body.addEventListener('htmx:sseError', function () { liveState(false); });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
