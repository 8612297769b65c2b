// Data entry page: autosave of cells, notes and narrative; refresh of computed figures from the server's answer.
// No figure is computed here: every display comes from the server, which runs the one evaluator.
(() => {
  "use strict";
  const page = document.querySelector("[data-entry]");
  if (!page) return;
  const csrf = page.querySelector("[name=csrfmiddlewaretoken]").value;
  const status = document.getElementById("save-status");
  let displays = JSON.parse(document.getElementById("displays").textContent);
  let lastRange = null;

  const setStatus = (text, kind) => {
    status.textContent = text;
    status.className = "save-status " + (kind || "");
  };

  async function post(url, data) {
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "X-CSRFToken": csrf, "X-Requested-With": "fetch" },
        body: new URLSearchParams(data),
        credentials: "same-origin",
      });
    } catch (error) {
      return { status: 0, json: { ok: false, error: "Mất kết nối tới máy chủ; số vừa nhập chưa được lưu." } };
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

  function sessionExpired() {
    const next = encodeURIComponent(location.pathname);
    status.innerHTML = "";
    const link = document.createElement("a");
    link.href = page.dataset.loginUrl + "?next=" + next;
    link.textContent = "Đăng nhập lại";
    status.append("Phiên làm việc đã hết hạn; số vừa nhập chưa được lưu. ", link);
    status.className = "save-status error";
  }

  function displayOf(code, padded) {
    if (padded && displays.padded[code] !== undefined) return displays.padded[code];
    return displays.plain[code];
  }

  function applyAnswer(answer) {
    displays = answer.displays;
    page.querySelectorAll("[data-display]").forEach((el) => {
      const text = displayOf(el.dataset.display, el.dataset.pad === "2");
      if (text === undefined) return;
      const inProse = el.classList.contains("bound");
      el.textContent = text === "" && inProse ? "…" : text;
      el.classList.toggle("na", text === "không phát sinh");
    });
    page.querySelectorAll("[data-findings-for]").forEach((holder) => {
      const list = answer.row_findings[holder.dataset.findingsFor] || [];
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
    const panel = document.getElementById("findings");
    panel.innerHTML = answer.findings_html;
    if (window.htmx) window.htmx.process(panel);
  }

  function cellMessage(input, text) {
    const holder = input.parentElement.querySelector(".cell-message");
    if (holder) holder.textContent = text || "";
  }

  function showConflict(input, conflict) {
    const holder = input.parentElement.querySelector(".cell-message");
    holder.replaceChildren();
    holder.append(`Người khác vừa lưu “${conflict.theirs || "(trống)"}”; số của bạn: “${conflict.yours}”. `);
    const mine = document.createElement("button");
    mine.type = "button";
    mine.textContent = "Giữ số của tôi";
    mine.onclick = () => { input.dataset.previous = conflict.theirs; save(input); };
    const theirs = document.createElement("button");
    theirs.type = "button";
    theirs.textContent = "Dùng số kia";
    theirs.onclick = () => { input.value = conflict.theirs; input.dataset.previous = conflict.theirs; save(input); };
    holder.append(mine, " ", theirs);
  }

  async function save(input) {
    input.classList.add("saving");
    setStatus("Đang lưu…", "saving");
    const { status: code, json } = await post(page.dataset.valueUrl, {
      code: input.dataset.code, raw: input.value, previous: input.dataset.previous || "",
    });
    input.classList.remove("saving");
    if (code === 401) { input.classList.add("dirty"); sessionExpired(); return; }
    if (json && json.ok) {
      input.dataset.previous = json.value.raw;
      input.classList.remove("dirty", "invalid");
      cellMessage(input, "");
      applyAnswer(json);
      setStatus("Đã lưu lúc " + json.saved_at, "saved");
      return;
    }
    // The typed text stays in the field so nothing the clerk typed is lost.
    input.classList.add("invalid");
    if (code === 409 && json && json.conflict) {
      showConflict(input, json.conflict);
    } else {
      cellMessage(input, json ? json.error : "Không lưu được.");
    }
    setStatus("Chưa lưu: " + (json ? json.error : "lỗi máy chủ"), "error");
  }

  const cells = () => Array.from(page.querySelectorAll(".cell"));
  page.addEventListener("input", (event) => {
    if (event.target.matches(".cell, .note-input")) {
      event.target.classList.add("dirty");
      setStatus("Chưa lưu", "dirty");
    }
  });
  page.addEventListener("change", (event) => {
    if (event.target.matches(".cell")) save(event.target);
    if (event.target.matches(".note-input")) saveNote(event.target);
  });
  page.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !event.target.matches(".cell, .note-input")) return;
    event.preventDefault();
    const list = event.target.matches(".cell") ? cells() : Array.from(page.querySelectorAll(".note-input"));
    const next = list[list.indexOf(event.target) + 1];
    if (next) next.focus(); else event.target.blur();
  });

  async function saveNote(input) {
    setStatus("Đang lưu…", "saving");
    const { status: code, json } = await post(page.dataset.noteUrl, { code: input.dataset.code, note: input.value });
    if (code === 401) { sessionExpired(); return; }
    if (json && json.ok) {
      input.classList.remove("dirty");
      setStatus("Đã lưu lúc " + json.saved_at, "saved");
    } else {
      setStatus("Chưa lưu: " + (json ? json.error : "lỗi máy chủ"), "error");
    }
  }

  // Narrative: prose with bound figures. Serialised back to text with {code} placeholders.
  function serialise(editor) {
    const paragraphs = [];
    const walk = (node, parts) => {
      node.childNodes.forEach((child) => {
        if (child.nodeType === Node.TEXT_NODE) {
          parts.push(child.textContent.replace(/[{}]/g, (c) => (c === "{" ? "(" : ")")).replace(/\n/g, " "));
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
  async function saveNarrative(editor) {
    timers.delete(editor);
    const source = editor.parentElement.querySelector(".narrative-source");
    const text = serialise(editor);
    if (text === source.value) return;
    setStatus("Đang lưu…", "saving");
    const { status: code, json } = await post(page.dataset.narrativeUrl, {
      section: editor.dataset.section, text, previous: source.value,
    });
    if (code === 401) { sessionExpired(); return; }
    if (json && json.ok) {
      source.value = text;
      editor.classList.remove("dirty");
      setStatus("Đã lưu lúc " + json.saved_at, "saved");
    } else {
      setStatus("Chưa lưu phần thuyết minh: " + (json ? json.error : "lỗi máy chủ"), "error");
    }
  }

  page.querySelectorAll(".narrative.editable").forEach((editor) => {
    editor.addEventListener("input", () => {
      editor.classList.add("dirty");
      setStatus("Chưa lưu", "dirty");
      clearTimeout(timers.get(editor));
      timers.set(editor, setTimeout(() => saveNarrative(editor), 1500));
    });
    editor.addEventListener("blur", () => { clearTimeout(timers.get(editor)); saveNarrative(editor); });
    editor.addEventListener("keyup", () => { rememberRange(); });
    editor.addEventListener("mouseup", () => { rememberRange(); });
  });
  document.execCommand("defaultParagraphSeparator", false, "p");

  function rememberRange() {
    const selection = window.getSelection();
    if (selection.rangeCount && selection.anchorNode && selection.anchorNode.parentElement.closest(".narrative.editable")) {
      lastRange = selection.getRangeAt(0).cloneRange();
    }
  }

  const insertButton = document.getElementById("insert-button");
  if (insertButton) {
    insertButton.addEventListener("click", () => {
      const code = document.getElementById("insert-code").value;
      const padded = document.getElementById("insert-pad").checked;
      if (!lastRange) { setStatus("Hãy đặt con trỏ vào đoạn văn cần chèn số trước.", "error"); return; }
      const chip = document.createElement("span");
      chip.className = "bound";
      chip.contentEditable = "false";
      chip.dataset.code = code;
      chip.dataset.display = code;
      chip.dataset.pad = padded ? "2" : "0";
      chip.title = "Số liệu từ bảng: " + code;
      chip.textContent = displayOf(code, padded) || "…";
      lastRange.deleteContents();
      lastRange.insertNode(chip);
      lastRange.setStartAfter(chip);
      const editor = chip.closest(".narrative.editable");
      editor.classList.add("dirty");
      saveNarrative(editor);
    });
  }

  window.addEventListener("beforeunload", (event) => {
    if (page.querySelector(".dirty")) { event.preventDefault(); event.returnValue = ""; }
  });
})();
