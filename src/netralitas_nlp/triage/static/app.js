// Keyboard shortcuts for the triage queue and item view. Served as a static file so the CSP can
// forbid inline script; it reads no user text and writes none into the page.
"use strict";
(function () {
  function typing(e) {
    const t = e.target;
    return t && (t.tagName === "TEXTAREA" || t.tagName === "SELECT" || (t.tagName === "INPUT" && !["checkbox", "radio", "submit", "button"].includes(t.type)));
  }
  function go(id) {
    const a = document.getElementById(id);
    if (a) window.location.assign(a.href);
  }
  function itemKeys(e) {
    const form = document.getElementById("decision");
    const fieldset = form && form.querySelector("fieldset");
    const open = form && !(fieldset && fieldset.disabled);
    if (e.key === "j") return go("next");
    if (e.key === "k") return go("prev");
    if (!open) return;
    if (/^[1-4]$/.test(e.key)) {
      const box = form.querySelector('input[data-key="' + e.key + '"]');
      if (box) box.checked = !box.checked;
    } else if (e.key === "a") {
      const box = document.getElementById("actor-not-asn");
      if (box) box.checked = !box.checked;
    } else if (e.key === "c") {
      const b = document.getElementById("confirm-btn");
      if (b) form.requestSubmit(b);
    } else if (e.key === "e") {
      const b = document.getElementById("escalate-btn");
      if (b) form.requestSubmit(b);
    } else if (e.key === "n") {
      const note = document.getElementById("note");
      if (note) { e.preventDefault(); note.focus(); }
    } else {
      return;
    }
    e.preventDefault();
  }
  let cursor = -1;
  function queueKeys(e) {
    const rows = Array.from(document.querySelectorAll("#queue tr.row"));
    if (e.key === "/") {
      const q = document.querySelector('input[name="q"]');
      if (q) { e.preventDefault(); q.focus(); }
      return;
    }
    if (!rows.length) return;
    if (e.key === "j" || e.key === "k") {
      cursor = Math.max(0, Math.min(rows.length - 1, cursor + (e.key === "j" ? 1 : -1)));
      rows.forEach((r, i) => r.classList.toggle("cursor", i === cursor));
      rows[cursor].scrollIntoView({ block: "nearest" });
      e.preventDefault();
    } else if (e.key === "Enter") {
      const row = rows[Math.max(0, cursor)];
      window.location.assign(row.dataset.href);
      e.preventDefault();
    }
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
    const page = document.body.dataset.page;
    if (page === "item") itemKeys(e);
    else if (page === "queue") queueKeys(e);
  });
  // Escape leaves the note field so the shortcuts work again.
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && typing(e)) e.target.blur();
  });
})();
