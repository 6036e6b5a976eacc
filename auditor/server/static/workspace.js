// The workspace page. Article text reaches the DOM two ways only: as the server's HTML, which
// the HTML report's renderer escaped, and through textContent / value. Nothing here builds
// markup from article text.
"use strict";

(() => {
  const API = "/api/v1";
  const $ = (id) => document.getElementById(id);
  const body = document.body;
  const text = $("ws-text");
  const status = $("ws-status");
  const state = {
    filename: "<stdin>.txt",
    rootPath: null, // an article opened under --root
    dismissed: new Set(),
    everywhere: [], // [rule, flagged text] pairs dismissed in the whole article
    checked: null, // the text the findings shown belong to
    findings: [],
    busy: false,
  };

  function say(message, isError) {
    status.textContent = message;
    status.classList.toggle("error", Boolean(isError));
  }

  async function call(method, path, payload, isForm) {
    const init = { method, headers: {}, credentials: "same-origin" };
    if (payload !== undefined) {
      if (isForm) {
        init.body = payload;
      } else {
        init.headers["Content-Type"] = "application/json";
        init.body = JSON.stringify(payload);
      }
    }
    const response = await fetch(API + path, init);
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = null;
    }
    if (!response.ok) {
      const retry = response.headers.get("Retry-After");
      const why = (data && data.error) || response.statusText;
      throw new Error(`${response.status}: ${why}` + (retry ? ` (retry in ${retry} s)` : ""));
    }
    return data;
  }

  function options() {
    return { style: $("ws-style").value, no_lm: !$("ws-lm").checked };
  }

  function setFilename(name) {
    state.filename = name || "<stdin>.txt";
    $("ws-filename").textContent = state.filename;
  }

  // One user action at a time; each one done counts in body[data-done] (tests wait on it).
  async function guarded(label, work) {
    if (state.busy) return;
    state.busy = true;
    body.classList.add("busy");
    say(label);
    try {
      await work();
    } catch (error) {
      say(error.message, true);
    } finally {
      state.busy = false;
      body.classList.remove("busy");
      body.dataset.done = String(Number(body.dataset.done || 0) + 1);
    }
  }

  function check() {
    return guarded("Checking…", runCheck);
  }

  async function runCheck() {
    {
      if (!text.value.trim()) {
        say("Nothing to check: paste an article or drop a file.", true);
        return;
      }
      if (!state.rootPath && /^<stdin>\.(txt|md)$/.test(state.filename)) {
        // Pasted text: Markdown when it opens with front matter, else plain text.
        setFilename(/^---\r?\n/.test(text.value) ? "<stdin>.md" : "<stdin>.txt");
      }
      const request = {
        text: text.value,
        filename: state.filename,
        dismissed: [...state.dismissed],
        dismissed_everywhere: state.everywhere,
        ...options(),
      };
      show(await call("POST", "/review", request), text.value);
    }
  }

  function show(data, checkedText) {
    const doc = data.document;
    state.checked = checkedText;
    if (data.source !== null && data.source !== undefined) text.value = data.source;
    $("ws-result").hidden = !doc;
    if (!doc) {
      say("Nothing was audited.", true);
      return;
    }
    $("ws-header").innerHTML = doc.header_html; // escaped by the HTML report's renderer
    $("ws-article").innerHTML = doc.text_html;
    state.findings = doc.findings;
    renderFindings(doc.findings);
    const editable = data.source !== null && data.source !== undefined;
    for (const id of ["ws-safe", "ws-copy", "ws-download", "ws-save"]) {
      const button = $(id);
      if (button) button.disabled = !editable;
    }
    $("ws-safe").disabled = !editable || !doc.findings.some((f) => f.safe);
    const verdict = (doc.verdict || doc.status).toUpperCase();
    say(`${verdict} ${doc.shown_score}: ${doc.findings.length} finding(s).`);
    document.title = `${verdict} ${doc.shown_score} · auditor workspace`;
  }

  function el(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function renderFindings(findings) {
    const list = $("ws-findings");
    list.replaceChildren();
    $("ws-count").textContent = `in reading order (${findings.length})`;
    $("ws-clean").hidden = findings.length > 0;
    const hidden = state.dismissed.size + state.everywhere.length;
    const note = $("ws-dismissed-note");
    note.hidden = hidden === 0;
    note.textContent = hidden ? `${hidden} dismissal(s) leave findings out of this check.` : "";
    findings.forEach((f) => list.appendChild(findingItem(f)));
  }

  function findingItem(f) {
    const item = el("li", `finding fam-${f.family.toLowerCase()} sev-${f.severity}`);
    item.dataset.fingerprint = f.fingerprint;
    item.dataset.rule = f.rule;
    const head = el("div", "finding-head");
    head.append(el("span", `sev-badge sev-${f.severity}`, f.severity), " ");
    head.append(el("code", "rule", f.rule), " ");
    if (f.safe) head.append(el("span", "ws-safe-tag", "safe fix"));
    if (f.anchor) {
      const link = el("a", "loc", f.place || "show");
      link.href = `#${f.anchor}`;
      link.title = "Show in the text";
      link.addEventListener("click", (event) => {
        event.preventDefault();
        const mark = document.getElementById(f.anchor);
        if (mark) {
          mark.scrollIntoView({ block: "center" });
          mark.focus();
        }
      });
      head.append(link);
    }
    item.append(head, el("p", "msg", f.message));
    const flag = el("p", "flag");
    flag.append(el("q", "", f.text));
    if (f.replacements.length) {
      flag.append(" ", el("span", "arrow", "→"), " ");
      const first = f.replacements[0];
      if (!first.trim()) {
        flag.append(el("span", "fix del", "delete"));
      } else {
        const fix = el("span", "fix");
        f.replacements.filter((r) => r.trim()).forEach((r, i) => {
          if (i) fix.append(" or ");
          fix.append(el("ins", "", r));
        });
        flag.append(fix);
      }
    }
    item.append(flag);
    const actions = el("div", "ws-finding-actions");
    if (f.replacements.length) {
      const accept = el("button", "ws-accept", "Accept");
      accept.type = "button";
      accept.setAttribute("aria-label", `Accept: ${f.rule} ${f.text}`);
      accept.addEventListener("click", () => acceptFinding(f));
      actions.append(accept);
    }
    const dismiss = el("button", "ws-dismiss", "Dismiss");
    dismiss.type = "button";
    dismiss.addEventListener("click", () => {
      state.dismissed.add(f.fingerprint);
      check();
    });
    const everywhere = el("button", "ws-dismiss-all", "Dismiss everywhere in this article");
    everywhere.type = "button";
    everywhere.addEventListener("click", () => {
      state.everywhere.push([f.rule, f.full_text]);
      check();
    });
    actions.append(dismiss, everywhere);
    item.append(actions);
    return item;
  }

  function stale() {
    if (state.checked !== text.value) {
      say("The text changed since the last check: check it again first.", true);
      return true;
    }
    return false;
  }

  function applyFix(payload, label) {
    if (stale()) return;
    return guarded(label, async () => {
      const fixed = await call("POST", "/fix", {
        text: text.value,
        filename: state.filename,
        ...options(),
        ...payload,
      });
      text.value = fixed.text;
      await runCheck();
      say(`${status.textContent} Applied ${fixed.applied.length} fix(es).`);
    });
  }

  function acceptFinding(f) {
    return applyFix({ fingerprints: [f.fingerprint] }, `Applying ${f.rule}…`);
  }

  function download() {
    const name = state.filename.split("/").pop().replace(/^<stdin>/, "article");
    const blob = new Blob([text.value], { type: "text/plain;charset=utf-8" });
    const link = el("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(text.value);
    } catch (e) {
      text.select();
      document.execCommand("copy");
    }
    say("The corrected text is on the clipboard.");
  }

  function save() {
    return guarded("Saving…", async () => {
      if (!state.rootPath) throw new Error("only an article opened from the root is saved");
      await call("PUT", `/files/${encodePath(state.rootPath)}`, { text: text.value });
      say(`Saved ${state.rootPath}.`);
    });
  }

  function encodePath(path) {
    return path.split("/").map(encodeURIComponent).join("/");
  }

  function reset(name, rootPath) {
    setFilename(name);
    state.rootPath = rootPath;
    state.dismissed = new Set();
    state.everywhere = [];
    const saveButton = $("ws-save");
    if (saveButton) saveButton.hidden = !rootPath;
  }

  async function upload(file) {
    reset(file.name, null);
    await guarded(`Checking ${file.name}…`, async () => {
      const form = new FormData();
      form.append("file", file, file.name);
      const o = options();
      form.append("style", o.style);
      form.append("no_lm", String(o.no_lm));
      const data = await call("POST", "/review", form, true);
      const editable = data.source !== null && data.source !== undefined;
      text.value = editable ? data.source : "";
      text.readOnly = !editable;
      show(data, text.value);
    });
  }

  async function openFromRoot() {
    const path = $("ws-file-list").value;
    if (!path) return;
    await guarded(`Opening ${path}…`, async () => {
      const file = await call("GET", `/files/${encodePath(path)}`);
      reset(path, file.editable ? path : null);
      if (file.editable) {
        text.readOnly = false;
        text.value = file.text;
        return;
      }
      text.value = "";
      text.readOnly = true;
      const data = await call("POST", "/review", { path, ...options() });
      show(data, "");
    });
    if (!text.readOnly) await check();
  }

  async function listFiles() {
    const data = await call("GET", "/files");
    const select = $("ws-file-list");
    select.replaceChildren(...data.files.map((f) => el("option", "", f)));
    select.querySelectorAll("option").forEach((o) => {
      o.value = o.textContent;
    });
  }

  $("ws-check").addEventListener("click", check);
  $("ws-safe").addEventListener("click", () =>
    applyFix({ safe: true }, "Applying all safe fixes…"),
  );
  $("ws-copy").addEventListener("click", copy);
  $("ws-download").addEventListener("click", download);
  if ($("ws-save")) {
    $("ws-save").addEventListener("click", save);
    $("ws-save").hidden = true;
  }
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      check();
    }
  });
  text.addEventListener("dragover", (event) => {
    event.preventDefault();
    text.classList.add("drop");
  });
  text.addEventListener("dragleave", () => text.classList.remove("drop"));
  text.addEventListener("drop", (event) => {
    event.preventDefault();
    text.classList.remove("drop");
    const file = event.dataTransfer.files[0];
    if (file) upload(file);
  });
  $("ws-upload").addEventListener("change", (event) => {
    const file = event.target.files[0];
    if (file) upload(file);
  });
  text.addEventListener("input", () => {
    if (text.readOnly) return;
    if (!state.rootPath && state.filename !== "<stdin>.txt" && !text.value) setFilename(null);
  });
  if (body.dataset.root === "1") {
    $("ws-open").addEventListener("click", openFromRoot);
    listFiles().catch((error) => say(error.message, true));
  }
})();
