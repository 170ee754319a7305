// app.js: small progressive enhancement; every page works without it (the
// CSP forbids inline script, so this file is all there is).
//   form[data-confirm="Question?"]  asks before the form is submitted.
//   form[data-can]                  the "Can I?" box answers as you type,
//                                   from GET /api/v1/can (same origin, cookie).
//   header <details>                 the menus close like menus: one open at
//                                   a time, on a click elsewhere, on Escape.
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

// ---- ideas (src/ideas.c) ------------------------------------------------
//   form[data-vote]         votes without a reload: PUT or DELETE
//                           /api/v1/ideas/{id}/vote with the form's CSRF
//                           token, then updates the count and the button.
//   input[data-similar]     while a title is typed, lists similar ideas of
//                           the challenge from the URL it names (GET ?q=).
// Text from the server is set with textContent only.
(function () {
  function setVoteState(form, voted, votes) {
    form.setAttribute('data-voted', voted ? '1' : '0');
    var want = form.querySelector('input[name=vote]');
    if (want) want.value = voted ? '0' : '1'; // what the plain form would do next
    var button = form.querySelector('button[type=submit]');
    if (button) {
      button.textContent = voted ? 'Take back vote' : 'Vote';
      button.className = voted ? 'secondary' : '';
    }
    var box = form.closest('[data-vote-box]');
    var count = box && box.querySelector('[data-votes]');
    var label = box && box.querySelector('[data-votes-label]');
    if (count) count.textContent = String(votes);
    if (label) label.textContent = label.getAttribute(votes === 1 ? 'data-one' : 'data-many') || (votes === 1 ? 'vote' : 'votes');
  }
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form || !form.matches || !form.matches('form[data-vote]')) return;
    var id = form.getAttribute('data-vote');
    var csrf = form.querySelector('input[name=csrf_token]');
    if (!/^\d+$/.test(id || '') || !csrf || !window.fetch) return; // the plain form will do
    e.preventDefault();
    if (form._busy) return;
    form._busy = true;
    var voted = form.getAttribute('data-voted') === '1';
    var msg = form.querySelector('[data-vote-msg]');
    if (msg) msg.textContent = '';
    fetch('/api/v1/ideas/' + id + '/vote', {
      method: voted ? 'DELETE' : 'PUT', credentials: 'same-origin',
      headers: { Accept: 'application/json', 'X-CSRF-Token': csrf.value }
    })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (res) {
        if (res.ok) setVoteState(form, res.body.voted, res.body.votes);
        else if (msg) msg.textContent = (res.body && res.body.error && res.body.error.message) || 'Could not vote.';
      })
      .catch(function () { if (msg) msg.textContent = 'Could not reach remit; try again.'; })
      .then(function () { form._busy = false; });
  });

  document.querySelectorAll('input[data-similar]').forEach(function (input) {
    var url = input.getAttribute('data-similar');
    var list = document.getElementById(input.id + '-similar');
    if (!url || url.charAt(0) !== '/' || !list) return;
    var timer = null, seq = 0;
    function clear() { while (list.firstChild) list.removeChild(list.firstChild); }
    function show(items) {
      clear();
      if (!items.length) return;
      var p = document.createElement('p');
      p.className = 'hint';
      p.textContent = 'Similar ideas already shared (vote for one instead of repeating it?):';
      var ul = document.createElement('ul');
      ul.className = 'plain';
      items.forEach(function (it) {
        if (typeof it.id !== 'number') return;
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = '/ideas/' + it.id;
        a.textContent = it.title;
        li.appendChild(a);
        var votes = document.createElement('span');
        votes.className = 'muted';
        votes.textContent = ' · ' + it.stage + ' · ' + it.votes + (it.votes === 1 ? ' vote' : ' votes');
        li.appendChild(votes);
        ul.appendChild(li);
      });
      list.appendChild(p);
      list.appendChild(ul);
    }
    function ask() {
      var q = input.value.trim();
      var mine = ++seq;
      if (q.length < 3) { clear(); return; }
      fetch(url + '?q=' + encodeURIComponent(q), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (j) { if (mine === seq) show(j.items || []); })
        .catch(function () {});
    }
    input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(ask, 300); });
  });
})();

// The header's menus are <details>: they open without this. With it, opening
// one closes its open siblings (groups, the person's menu), a click outside
// the header's menus closes them, and Escape closes them and returns focus.
(function () {
  function menus() { return Array.prototype.slice.call(document.querySelectorAll('header.top details[open]')); }
  document.addEventListener('toggle', function (e) {
    var d = e.target;
    if (!d || d.tagName !== 'DETAILS' || !d.open || !d.closest || !d.closest('header.top')) return;
    menus().forEach(function (o) { if (o !== d && !o.contains(d)) o.open = false; });
  }, true);
  document.addEventListener('click', function (e) {
    menus().forEach(function (o) { if (!o.contains(e.target)) o.open = false; });
  });
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape') return;
    var open = menus();
    if (!open.length) return;
    open.forEach(function (o) { o.open = false; });
    var s = open[open.length - 1].querySelector('summary');
    if (s) s.focus();
  });
})();
