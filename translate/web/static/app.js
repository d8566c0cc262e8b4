// translate serve: keyboard review and partial page updates. Plain JavaScript, no build step, no CDN.
(() => {
  "use strict";
  const $ = (selector, root = document) => root.querySelector(selector);
  const csrf = () => $('meta[name="csrf-token"]').content;
  const headers = { "X-Requested-With": "fetch" };
  let latest = 0; // the newest panel request: older answers are dropped

  const rows = () => [...document.querySelectorAll("#workspace a.row")];
  const selected = () => $("#workspace a.row.selected");

  function showError(text) {
    const flash = document.createElement("p");
    flash.className = "flash error";
    flash.setAttribute("role", "alert");
    flash.textContent = text; // never parsed as HTML
    const panel = $("#panel");
    const old = $("#panel > .flash");
    if (old) old.remove();
    panel.prepend(flash);
  }

  function settle() {
    const force = $("#approve-button.force");
    if (force) force.focus();
    else if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
    const row = selected();
    if (row) row.scrollIntoView({ block: "nearest" });
  }

  async function loadPanel(row) {
    rows().forEach((r) => r.classList.toggle("selected", r === row));
    row.scrollIntoView({ block: "nearest" });
    history.replaceState(null, "", row.getAttribute("href"));
    const mine = ++latest;
    try {
      const response = await fetch(row.dataset.panel, { headers });
      const html = await response.text();
      if (mine !== latest) return;
      $("#panel").innerHTML = html;
      settle();
    } catch (error) {
      showError(`The server did not answer (${error.message}). Is translate serve still running?`);
    }
  }

  function post(form, data) {
    return fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      headers: { ...headers, "X-CSRF-Token": csrf() },
    });
  }

  async function submit(form, submitter) {
    const data = new FormData(form);
    if (submitter && submitter.name) data.set(submitter.name, submitter.value);
    const panel = $("#panel");
    panel.classList.add("busy");
    latest++;
    try {
      const response = await post(form, data);
      const text = await response.text();
      if (response.headers.get("x-swap") === "workspace") {
        $("#workspace").innerHTML = text;
        const row = selected();
        if (row) history.replaceState(null, "", row.getAttribute("href"));
        settle();
      } else {
        showError(text);
      }
    } catch (error) {
      showError(`The server did not answer (${error.message}); nothing was saved. Is translate serve still running?`);
    } finally {
      panel.classList.remove("busy");
    }
  }

  // Draft and Approve all clean run on the server; the page shows their progress, then the queue again.
  let polling = false;

  async function refreshQueue() {
    const response = await fetch(window.location.href, { headers });
    if (response.headers.get("x-swap") === "workspace") {
      $("#workspace").innerHTML = await response.text();
      settle();
    }
  }

  async function pollJob() {
    if (polling) return;
    polling = true;
    try {
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 400));
        const response = await fetch("/job", { headers });
        const state = response.headers.get("x-job");
        const html = await response.text();
        const box = $("#job");
        if (box) box.outerHTML = html;
        if (state !== "running") break;
      }
      await refreshQueue();
    } catch (error) {
      showError(`The server did not answer (${error.message}). Is translate serve still running?`);
    } finally {
      polling = false;
    }
  }

  async function startJob(form) {
    const data = new FormData(form);
    try {
      const response = await post(form, data);
      const text = await response.text();
      if (!response.ok) {
        showError(text);
        return;
      }
      const box = $("#job");
      if (box) box.outerHTML = text;
      document.querySelectorAll("[data-job] button").forEach((b) => (b.disabled = true));
      pollJob();
    } catch (error) {
      showError(`The server did not answer (${error.message}); nothing was started. Is translate serve still running?`);
    }
  }

  function move(step) {
    const all = rows();
    if (!all.length) return;
    const at = all.indexOf(selected());
    const next = all[Math.min(all.length - 1, Math.max(0, at < 0 ? 0 : at + step))];
    if (next && next !== selected()) loadPanel(next);
  }

  function toggleHelp() {
    const help = $("#help");
    help.hidden = !help.hidden;
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches("[data-job]") && $("#workspace")) {
      event.preventDefault();
      startJob(form);
      return;
    }
    if (!form.matches("[data-swap]") || !$("#workspace")) return;
    event.preventDefault();
    submit(form, event.submitter);
  });

  document.addEventListener("change", (event) => {
    if (event.target.name === "scope-choice") {
      // one choice for the approve, edit and reject forms of a sentence several articles share
      document.querySelectorAll("input[data-scope]").forEach((input) => (input.value = event.target.value));
      return;
    }
    const form = event.target.form;
    if (form && form.id === "filters") form.submit();
  });

  document.addEventListener("click", (event) => {
    const row = event.target.closest("a.row");
    if (row && event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      loadPanel(row);
      return;
    }
    const use = event.target.closest("[data-use]");
    if (use) {
      const text = $("#edit-text");
      text.value = use.dataset.use;
      text.focus();
      return;
    }
    if (event.target.closest("[data-help]")) toggleHelp();
  });

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target.matches && target.matches("input, textarea, select")) {
      if (event.key === "Escape") {
        target.blur();
        event.preventDefault();
      } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && target.form) {
        event.preventDefault();
        target.form.requestSubmit();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    switch (event.key) {
      case "j":
        move(1);
        break;
      case "k":
        move(-1);
        break;
      case "a": {
        const button = $("#approve-button");
        // The override is never a key press: it wants Enter on its (focused) button, or a click.
        if (button && !button.disabled && !button.classList.contains("force")) $("#approve-form").requestSubmit(button);
        break;
      }
      case "e": {
        const text = $("#edit-text");
        if (!text) return;
        text.focus();
        text.setSelectionRange(text.value.length, text.value.length);
        break;
      }
      case "r": {
        const reason = $("#reason");
        if (!reason) return;
        reason.focus();
        break;
      }
      case "o": {
        const link = $("#article-link");
        if (link) window.location.href = link.href;
        break;
      }
      case "?":
        toggleHelp();
        break;
      default:
        return;
    }
    event.preventDefault();
  });
  if ($("#job[data-running]")) pollJob();
})();
