// app.js: small progressive enhancement; every page works without it (the
// CSP forbids inline script, so this file is all there is).
//   form[data-confirm="Question?"]  asks before the form is submitted.
'use strict';
document.addEventListener('submit', function (e) {
  var f = e.target;
  var q = f && f.getAttribute && f.getAttribute('data-confirm');
  if (q && !window.confirm(q)) e.preventDefault();
});
