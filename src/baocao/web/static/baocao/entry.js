// Data entry page: autosave of cells, notes and narrative that survives a lost connection; refresh of the
// figures from the server's answers and from a periodic check, so a page left open never shows stale cells.
// No figure is computed here: every display comes from the server, which runs the one evaluator.
(() => {
  "use strict";
  const page = document.querySelector("[data-entry]");
  if (!page) return;
  const csrf = page.querySelector("[name=csrfmiddlewaretoken]").value;
  const status = document.getElementById("save-status");
  const CHECK_EVERY_MS = 30000;
  const RETRY_EVERY_MS = 5000;
  const MODIFIER_KEYS = new Set(["Tab", "Shift", "Control", "Alt", "Meta"]);
  let displays = JSON.parse(document.getElementById("displays").textContent);
  let version = Number(page.dataset.version || 0);
  let lastRange = null;
  let savedAt = "";
  let expired = false;
  let lastError = "";
  const inflight = new Set();  // elements whose save is on its way
  const again = new Set();  // elements changed again while their save was on its way
  const retry = new Set();  // elements whose save did not reach the server: sent again when it answers

  const setStatus = (text, kind) => {
    status.textContent = text;
    status.className = "save-status " + (kind || "");
  };

  async function request(url, data) {
    let response;
    try {
      response = await fetch(url, data ? {
        method: "POST",
        headers: { "X-CSRFToken": csrf, "X-Requested-With": "fetch" },
        body: new URLSearchParams(data),
        credentials: "same-origin",
      } : { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } });
    } catch (error) {
      return { status: 0, json: null };
    }
    if (response.redirected && response.url.includes(page.dataset.loginUrl)) {
      return { status: 401, json: null };
    }
    let json = null;
    try { json = await response.json(); } catch (error) { json = null; }
    // Our own refusals answer in JSON. A bare 403 is Django's CSRF check, which runs before the sign-in
    // check: the cookies are gone (expired or cleared) or the user signed in anew elsewhere. Either way
    // the cure is to sign in again.
    if (response.status === 403 && json === null) return { status: 401, json: null };
    return { status: response.status, json };
  }

  // ---- What is not saved yet, and the status line -----------------------------------------------------
  function unsavedCounts() {
    const dirty = Array.from(page.querySelectorAll(".dirty"));
    const sections = dirty.filter((el) => el.classList.contains("narrative")).length;
    return { cells: dirty.length - sections, sections };
  }

  function updateStatus() {
    if (expired) return;
    const { cells, sections } = unsavedCounts();
    if (cells + sections === 0) {
      if (savedAt) setStatus("Đã lưu lúc " + savedAt, "saved");
      return;
    }
    const parts = [];
    if (cells) parts.push(cells + " ô");
    if (sections) parts.push(sections + " đoạn thuyết minh");
    const what = parts.join(" và ");
    if (retry.size) {
      setStatus(`Mất kết nối: ${what} chưa lưu; sẽ tự lưu lại khi kết nối trở lại. Đừng đóng trang.`, "error offline");
    } else if (inflight.size) {
      setStatus(`Đang lưu… (${what} chưa lưu)`, "saving");
    } else {
      setStatus(`Chưa lưu: ${what}` + (lastError ? `. ${lastError}` : ""), lastError ? "error" : "dirty");
    }
  }

  function sessionExpired() {
    expired = true;
    const next = encodeURIComponent(location.pathname);
    status.innerHTML = "";
    const link = document.createElement("a");
    link.href = page.dataset.loginUrl + "?next=" + next;
    link.textContent = "Đăng nhập lại";
    status.append("Phiên làm việc đã hết hạn; những gì vừa nhập chưa được lưu. ", link);
    status.className = "save-status error";
  }

  // ---- The three kinds of saved things: a cell's value, a row's note, a narrative section -------------
  const kinds = {
    value: {
      current: (el) => el.value,
      saved: (el) => el.dataset.previous || "",
      send: (el, text) => request(page.dataset.valueUrl, { code: el.dataset.code, raw: text, previous: el.dataset.previous || "" }),
      accept: (el, json) => { el.dataset.previous = json.value.raw; markConfirmed(el.dataset.code); applyAnswer(json); },
    },
    note: {
      current: (el) => el.value.trim(),
      saved: (el) => el.dataset.previous || "",
      send: (el, text) => request(page.dataset.noteUrl, { code: el.dataset.code, note: text, previous: el.dataset.previous || "" }),
      accept: (el, json) => { el.dataset.previous = json.note.text; showNoteText(json.note.code, json.note.text); },
    },
    narrative: {
      current: (el) => serialise(el),
      saved: (el) => sourceOf(el).value,
      send: (el, text) => request(page.dataset.narrativeUrl, { section: el.dataset.section, text, previous: sourceOf(el).value }),
      accept: (el, json, text) => { sourceOf(el).value = text; },
    },
  };
  const kindOf = (el) => (el.matches(".cell") ? "value" : el.matches(".note-input") ? "note" : "narrative");
  const sourceOf = (editor) => editor.parentElement.querySelector(".narrative-source");

  async function save(el) {
    if (inflight.has(el)) { again.add(el); return; }
    const kind = kinds[kindOf(el)];
    const text = kind.current(el);
    if (text === kind.saved(el)) {
      // Nothing to send: the field holds what the server has (typed back, or the other person's text kept).
      retry.delete(el);
      el.classList.remove("dirty", "invalid");
      message(el, "");
      updateStatus();
      return;
    }
    inflight.add(el);
    el.classList.add("saving");
    updateStatus();
    const { status: code, json } = await kind.send(el, text);
    inflight.delete(el);
    el.classList.remove("saving");
    settle(el, kind, text, code, json);
    const answered = code !== 0 && code < 500;
    const rerun = again.delete(el) && answered;
    if (answered && retry.size) flushRetries();  // the server answers again: send what is waiting
    if (rerun) save(el);
    updateStatus();
  }

  function settle(el, kind, text, code, json) {
    el.classList.add("dirty");
    if (code === 0 || code >= 500) { retry.add(el); scheduleRetry(); return; }
    // Signed out: kept for when a later save shows the clerk signed in again (in another tab, say).
    if (code === 401) { retry.add(el); sessionExpired(); return; }
    retry.delete(el);
    expired = false;
    if (json && json.ok) {
      kind.accept(el, json, text);
      noteVersion(json.version);
      savedAt = json.saved_at;
      lastError = "";
      el.classList.remove("invalid");
      message(el, "");
      // The latest typed text wins: if the field changed while this save was on its way, it stays unsaved
      // and is sent again.
      if (kind.current(el) === text) el.classList.remove("dirty"); else again.add(el);
      return;
    }
    // Refused: the typed text stays in the field so nothing the clerk typed is lost.
    el.classList.add("invalid");
    lastError = json ? json.error : "lỗi máy chủ";
    if (code === 409 && json && json.conflict) showConflict(el, json.conflict);
    else message(el, lastError);
  }

  let retryTimer = null;
  function scheduleRetry() {
    if (!retryTimer) retryTimer = setTimeout(() => { retryTimer = null; flushRetries(); }, RETRY_EVERY_MS);
  }
  function flushRetries() {
    Array.from(retry).forEach((el) => { if (!inflight.has(el)) save(el); });
  }
  window.addEventListener("online", () => { flushRetries(); checkState(); });

  function message(el, text) {
    const holder = messageHolder(el);
    if (holder) holder.textContent = text || "";
  }
  const messageHolder = (el) => el.parentElement.querySelector(
    { value: ".cell-message", note: ".note-message", narrative: ".narrative-message" }[kindOf(el)]);

  function showConflict(el, conflict) {
    const holder = messageHolder(el);
    if (!holder) return;
    const kind = kindOf(el);
    const noun = kind === "value" ? "số" : kind === "note" ? "ghi chú" : "đoạn văn";
    holder.replaceChildren();
    if (kind === "narrative") {
      holder.append(`Người khác vừa sửa đoạn này; đoạn bạn gõ vẫn ở đây, chưa được lưu. `);
    } else {
      holder.append(`Người khác vừa lưu “${conflict.theirs || "(trống)"}”; ${noun} của bạn: “${conflict.yours}”. `);
    }
    const mine = document.createElement("button");
    mine.type = "button";
    mine.textContent = `Giữ ${noun} của tôi`;
    mine.onclick = () => { setSaved(el, conflict.theirs); save(el); };
    holder.append(mine);
    if (kind === "narrative") return;
    const theirs = document.createElement("button");
    theirs.type = "button";
    theirs.textContent = `Dùng ${noun} kia`;
    theirs.onclick = () => { el.value = conflict.theirs; setSaved(el, conflict.theirs); save(el); };
    holder.append(" ", theirs);
  }
  function setSaved(el, text) {
    if (el.matches(".narrative")) sourceOf(el).value = text; else el.dataset.previous = text;
  }

  // ---- Answers from the server: displays, findings, and cells someone else changed ---------------------
  function displayOf(code, padded) {
    if (padded && displays.padded[code] !== undefined) return displays.padded[code];
    return displays.plain[code];
  }

  function noteVersion(seen) {
    if (seen === undefined) return;
    // Our own save moves the version by one; a bigger step means someone else saved meanwhile.
    if (seen > version + 1) checkState();
    version = Math.max(version, seen);
  }

  const busy = (el) => el.classList.contains("dirty") || inflight.has(el);

  function applyAnswer(answer) {
    // An answer overtaken by a newer one already shown would put older figures back: never.
    if (answer.version !== undefined && answer.version < version) return;
    displays = answer.displays;
    // Only what changed is touched: every write would make the browser lay the whole table out again.
    page.querySelectorAll("[data-display]").forEach((el) => {
      const text = displayOf(el.dataset.display, el.dataset.pad === "2");
      if (text === undefined) return;
      const inProse = el.classList.contains("bound");
      const shown = text === "" && inProse ? "…" : text;
      if (el.textContent !== shown) el.textContent = shown;
      if (el.classList.contains("na") !== (text === "không phát sinh")) el.classList.toggle("na");
    });
    if (answer.values) refreshCells(answer.values, answer.notes || {}, answer.copied || []);
    page.querySelectorAll("[data-findings-for]").forEach((holder) => {
      const list = answer.row_findings[holder.dataset.findingsFor] || [];
      const lines = Array.from(holder.children);
      const same = lines.length === list.length && list.every((finding, i) =>
        lines[i].className === "finding " + finding.severity && lines[i].textContent === finding.message);
      if (same) return;
      holder.replaceChildren(...list.map((finding) => {
        const line = document.createElement("p");
        line.className = "finding " + finding.severity;
        line.textContent = finding.message;
        return line;
      }));
      const row = holder.closest("tr");
      row.classList.toggle("has-error", list.some((f) => f.severity === "error"));
      row.classList.toggle("has-warning", list.some((f) => f.severity === "warning"));
    });
    replaceFindings(answer.findings_html);
  }

  // Cells the clerk is not editing take the stored text; a cell being edited keeps what was typed (its save
  // then meets the conflict check on the server).
  function refreshCells(values, notes, copied) {
    [[".cell", values], [".note-input", notes]].forEach(([selector, texts]) => {
      page.querySelectorAll(selector).forEach((el) => {
        const stored = texts[el.dataset.code] || "";
        if (busy(el) || stored === (el.dataset.previous || "")) return;
        el.value = stored;
        el.dataset.previous = stored;
        flash(el);
      });
    });
    page.querySelectorAll("[data-note]").forEach((el) => { el.textContent = notes[el.dataset.note] || ""; });
    const marked = new Set(copied);
    page.querySelectorAll("td.value.copied").forEach((td) => {
      if (!marked.has(td.closest("tr").dataset.row)) td.classList.remove("copied");
    });
    updateCopiedCount();
  }

  function flash(el) {
    el.classList.add("refreshed");
    setTimeout(() => el.classList.remove("refreshed"), 4000);
  }

  function showNoteText(code, text) {
    page.querySelectorAll(`[data-note="${CSS.escape(code)}"]`).forEach((el) => { el.textContent = text; });
  }

  function markConfirmed(code) {
    const td = page.querySelector(`tr[data-row="${CSS.escape(code)}"] td.value.copied`);
    if (td) td.classList.remove("copied");
    updateCopiedCount();
  }
  function updateCopiedCount() {
    const holder = document.getElementById("copied-count");
    if (!holder) return;
    const count = page.querySelectorAll("td.value.copied").length;
    holder.textContent = String(count);
    holder.closest(".copied-banner").hidden = count === 0;
  }

  // The findings panel is rebuilt from the server's HTML; an explanation being typed is kept.
  let findingsShown = null;  // the server's HTML now in the panel (null: unknown, or swapped in by htmx)
  function replaceFindings(html) {
    const panel = document.getElementById("findings");
    if (html === findingsShown) return;
    const typing = {};
    panel.querySelectorAll("form.explain").forEach((form) => {
      const area = form.querySelector("textarea");
      if (area.value !== area.defaultValue) typing[form.elements.rule.value] = area.value;
    });
    const focused = document.activeElement && panel.contains(document.activeElement)
      ? document.activeElement.closest("form.explain") : null;
    const focusedRule = focused ? focused.elements.rule.value : null;
    panel.innerHTML = html;
    panel.querySelectorAll("form.explain").forEach((form) => {
      const rule = form.elements.rule.value;
      if (typing[rule] !== undefined) form.querySelector("textarea").value = typing[rule];
      if (rule === focusedRule) form.querySelector("textarea").focus();
    });
    if (window.htmx) window.htmx.process(panel);
    findingsShown = html;
  }
  document.getElementById("findings")?.addEventListener("htmx:afterSwap", () => { findingsShown = null; });

  // A page left open asks now and then whether the report moved on; also when it comes back into view.
  let checking = false;
  let checkAgain = false;  // asked while a check was on its way: its answer may predate the reason to ask
  async function checkState() {
    if (!page.dataset.stateUrl) return;
    if (checking) { checkAgain = true; return; }
    checking = true;
    const { status: code, json } = await request(page.dataset.stateUrl + "?version=" + version);
    checking = false;
    if (checkAgain) { checkAgain = false; setTimeout(checkState, 0); }
    if (code === 0 || code >= 500 || !json) return;
    if (retry.size) flushRetries();
    if (!json.changed) return;
    version = Math.max(version, json.version);
    applyAnswer(json);
    refreshNarrative(json.narrative || {});
  }
  setInterval(() => { if (!document.hidden) checkState(); }, CHECK_EVERY_MS);
  window.addEventListener("focus", checkState);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) checkState(); });

  function refreshNarrative(sections) {
    page.querySelectorAll(".narrative[data-section]").forEach((editor) => {
      const stored = sections[editor.dataset.section];
      if (!stored || busy(editor) || document.activeElement === editor) return;
      const source = sourceOf(editor);
      if (source && stored.text === source.value) return;
      editor.innerHTML = stored.html;
      if (source) source.value = stored.text;
      flash(editor);
    });
  }

  // ---- Cells and notes: typing, Enter, the notes toggle ------------------------------------------------
  const cells = () => Array.from(page.querySelectorAll(".cell"));
  page.addEventListener("input", (event) => {
    if (event.target.matches(".cell, .note-input")) {
      event.target.classList.add("dirty");
      updateStatus();
    }
  });
  page.addEventListener("change", (event) => {
    if (event.target.matches(".cell, .note-input")) save(event.target);
  });
  page.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !event.target.matches(".cell, .note-input")) return;
    event.preventDefault();
    const list = event.target.matches(".cell") ? cells() : Array.from(page.querySelectorAll(".note-input"));
    const next = list[list.indexOf(event.target) + 1];
    if (next) next.focus(); else event.target.blur();
  });

  const notesToggle = document.getElementById("notes-toggle");
  if (notesToggle) {
    notesToggle.addEventListener("click", () => {
      const on = !page.classList.contains("notes-editing");
      page.classList.toggle("notes-editing", on);
      notesToggle.setAttribute("aria-pressed", on ? "true" : "false");
      const hint = document.getElementById("tab-hint");
      if (hint) hint.textContent = on ? hint.dataset.notes : hint.dataset.cells;
      if (on) {
        const first = page.querySelector(".note-input");
        if (first) first.focus();
      }
    });
  }

  // ---- Narrative: prose with bound figures, serialised back to text with {code} placeholders ----------
  function serialise(editor) {
    const paragraphs = [];
    const walk = (node, parts) => {
      node.childNodes.forEach((child) => {
        if (child.nodeType === Node.TEXT_NODE) {
          // Braces would read as placeholders; the no-break spaces an editor puts at a line's end are spaces.
          parts.push(child.textContent.replace(/[{}]/g, (c) => (c === "{" ? "(" : ")")).replace(/[\n\u00a0]/g, " "));
        } else if (child.classList && child.classList.contains("bound")) {
          parts.push("{" + child.dataset.code + (child.dataset.pad === "2" ? ":02" : "") + "}");
        } else if (child.nodeName === "BR") {
          parts.push("\n");
        } else {
          walk(child, parts);
        }
      });
    };
    editor.childNodes.forEach((block) => {
      const parts = [];
      if (block.nodeType === Node.TEXT_NODE) parts.push(block.textContent);
      else walk(block.classList && block.classList.contains("bound") ? { childNodes: [block] } : block, parts);
      parts.join("").split("\n").forEach((line) => paragraphs.push(line.trim()));
    });
    return paragraphs.filter((line) => line !== "").join("\n");
  }

  const timers = new Map();
  page.querySelectorAll(".narrative.editable").forEach((editor) => {
    editor.addEventListener("input", () => {
      editor.classList.add("dirty");
      updateStatus();
      clearTimeout(timers.get(editor));
      timers.set(editor, setTimeout(() => save(editor), 1500));
    });
    editor.addEventListener("blur", () => { clearTimeout(timers.get(editor)); save(editor); });
    // Only where the clerk put the cursor counts: focus arriving by Tab or Shift+Tab (on its way to
    // "Chèn số liệu") must not move the remembered position to the start of another paragraph.
    editor.addEventListener("keyup", (event) => { if (!MODIFIER_KEYS.has(event.key)) rememberRange(); });
    editor.addEventListener("mouseup", () => { rememberRange(); });
    editor.addEventListener("input", () => { rememberRange(); });
  });
  document.execCommand("defaultParagraphSeparator", false, "p");

  function rememberRange() {
    const selection = window.getSelection();
    if (selection.rangeCount && selection.anchorNode && selection.anchorNode.parentElement
        && selection.anchorNode.parentElement.closest(".narrative.editable")) {
      lastRange = selection.getRangeAt(0).cloneRange();
    }
  }

  const insertButton = document.getElementById("insert-button");
  if (insertButton) {
    insertButton.addEventListener("click", () => {
      const select = document.getElementById("insert-code");
      const code = select.value;
      const padded = document.getElementById("insert-pad").checked;
      const editor = lastRange && lastRange.startContainer.isConnected
        ? (lastRange.startContainer.nodeType === Node.ELEMENT_NODE ? lastRange.startContainer : lastRange.startContainer.parentElement).closest(".narrative.editable")
        : null;
      if (!editor) { setStatus("Hãy đặt con trỏ vào đoạn văn cần chèn số trước.", "error"); return; }
      const chip = document.createElement("span");
      chip.className = "bound";
      chip.contentEditable = "false";
      chip.dataset.code = code;
      chip.dataset.display = code;
      chip.dataset.pad = padded ? "2" : "0";
      chip.title = "Số liệu từ bảng: " + select.options[select.selectedIndex].text.trim();
      chip.textContent = displayOf(code, padded) || "…";
      lastRange.deleteContents();
      lastRange.insertNode(chip);
      lastRange.setStartAfter(chip);
      lastRange.collapse(true);
      editor.classList.add("dirty");
      // Back to the prose, the cursor just after the figure, so the clerk goes on typing.
      editor.focus();
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(lastRange);
      save(editor);
    });
  }

  // An explanation that did not reach the server stays in its box; say so.
  document.body.addEventListener("htmx:sendError", () => {
    setStatus("Mất kết nối: giải trình chưa được lưu; bấm lưu lại khi có kết nối.", "error offline");
  });

  window.addEventListener("beforeunload", (event) => {
    const typingExplanation = Array.from(page.querySelectorAll("form.explain textarea"))
      .some((area) => area.value !== area.defaultValue);
    if (page.querySelector(".dirty") || inflight.size || typingExplanation) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
