// app.js: small progressive enhancement; every page works without it (the
// CSP forbids inline script, so this file is all there is).
//   form[data-confirm="Question?"]  asks before the form is submitted.
//   form[data-can]                  the "Can I?" box answers as you type,
//                                   from GET /api/v1/can (same origin, cookie).
'use strict';
document.addEventListener('submit', function (e) {
  var f = e.target;
  var q = f && f.getAttribute && f.getAttribute('data-confirm');
  if (q && !window.confirm(q)) e.preventDefault();
});

(function () {
  var HEADLINES = {
    none: 'No: you hold no right for this', approve: 'Not alone: it needs approval', decide: 'Yes: decide it',
    inform: 'Yes: decide it, then tell', advise: 'Yes: after advice', agree: 'Together: agree it first', propose: 'Propose it'
  };
  function answerBox(form) {
    var box = form.parentNode.querySelector('[data-can-answer]');
    return box;
  }
  // show: replaces the answer with text nodes only (never HTML from the server).
  function show(box, verdict, text, isError) {
    while (box.firstChild) box.removeChild(box.firstChild);
    var p = document.createElement('p');
    if (isError) {
      p.className = 'error';
      p.textContent = text;
      box.appendChild(p);
      return;
    }
    p.className = 'verdict verdict-' + verdict;
    var strong = document.createElement('strong');
    strong.textContent = HEADLINES[verdict] || verdict;
    p.appendChild(strong);
    var p2 = document.createElement('p');
    p2.textContent = text;
    box.appendChild(p);
    box.appendChild(p2);
  }
  function ask(form) {
    var box = answerBox(form);
    if (!box) return;
    var domain = form.querySelector('[name=domain]');
    var amount = form.querySelector('[name=amount]');
    if (!domain || !domain.value) return;
    var url = '/api/v1/can?domain=' + encodeURIComponent(domain.value);
    var a = amount ? amount.value.trim() : '';
    if (a) url += '&amount=' + encodeURIComponent(a);
    var seq = (form._canSeq = (form._canSeq || 0) + 1);
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (res) {
        if (seq !== form._canSeq) return; // a newer question is on its way
        if (res.ok) show(box, res.body.verdict, res.body.explanation, false);
        else show(box, '', (res.body && res.body.error && res.body.error.message) || 'Could not check.', true);
      })
      .catch(function () {});
  }
  document.querySelectorAll('form[data-can]').forEach(function (form) {
    var timer = null;
    function later() { clearTimeout(timer); timer = setTimeout(function () { ask(form); }, 250); }
    form.addEventListener('input', later);
    form.addEventListener('change', later);
    form.addEventListener('submit', function (e) { e.preventDefault(); ask(form); });
    // On the new-decision page the decision form's own domain and amount
    // drive the box, so nobody types them twice.
    var source = document.querySelector('form[action="/decisions/new"]');
    if (!source) return;
    ['domain', 'amount'].forEach(function (name) {
      var from = source.querySelector('[name=' + name + ']');
      var to = form.querySelector('[name=' + name + ']');
      if (!from || !to) return;
      from.addEventListener('input', function () { to.value = from.value; later(); });
      from.addEventListener('change', function () { to.value = from.value; later(); });
    });
  });
})();
