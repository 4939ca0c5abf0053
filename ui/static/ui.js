// The workbench's scripts: live deadline countdowns, and on the translate
// page autosave (which renews the claim), QA shown as you type, one-click
// suggestions, the preview and the keyboard. Every string comes from the
// server's message catalogue (#messages); none lives here.
(function () {
  "use strict";

  var messages = {};
  try {
    messages = JSON.parse(document.getElementById("messages").textContent) || {};
  } catch (e) {
    messages = {};
  }

  function msg(key, args) {
    var s = messages[key] || key;
    (args || []).forEach(function (a, i) {
      s = s.split("{" + i + "}").join(String(a));
    });
    return s;
  }

  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.content : "";

  // Deadline countdowns ----------------------------------------------------

  function span(ms) {
    var minutes = Math.round(ms / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var mins = minutes % 60;
    if (days > 0) return msg("js.days_hours", [days, hours]);
    if (hours > 0) return msg("js.hours_minutes", [hours, mins]);
    return msg("js.minutes", [mins]);
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      var deadline = Date.parse(el.getAttribute("data-deadline"));
      if (isNaN(deadline)) return;
      var left = deadline - now;
      el.textContent = left >= 0 ? msg("js.due_in", [span(left)]) : msg("js.overdue_by", [span(-left)]);
      el.classList.toggle("overdue", left < 0);
    });
  }
  setInterval(tick, 30000);

  // Translate page ---------------------------------------------------------

  var task = document.getElementById("task");
  var work = document.getElementById("work");
  if (!task || !work || task.getAttribute("data-held") !== "true") return;

  var taskID = task.getAttribute("data-task-id");
  var targets = Array.prototype.slice.call(work.querySelectorAll("textarea.target-text"));
  var status = document.getElementById("save-status");
  var dirty = {};
  var timer = null;
  var saving = false;
  var again = false;
  var lastRenew = 0;
  var submitting = false;
  // The claim is renewed with the first save and then at most every ten
  // minutes: often enough for a 1–2 h lease, rarely enough for the
  // workflow's history.
  var renewEvery = 10 * 60 * 1000;
  var saveDelay = 1200;

  function setStatus(state, text) {
    if (!status) return;
    status.setAttribute("data-state", state);
    status.textContent = text;
  }

  function grow(ta) {
    if (ta.classList.contains("wm-vertical")) {
      ta.style.width = "auto";
      ta.style.width = Math.max(ta.scrollWidth + 4, 96) + "px";
    } else {
      ta.style.height = "auto";
      ta.style.height = Math.max(ta.scrollHeight + 4, 64) + "px";
    }
  }

  function preview(ta) {
    var p = document.querySelector('#preview p[data-index="' + ta.getAttribute("data-index") + '"]');
    if (p) p.textContent = ta.value;
  }

  function changed(ta) {
    dirty[ta.getAttribute("data-index")] = true;
    preview(ta);
    grow(ta);
    setStatus("dirty", msg("js.unsaved"));
    clearTimeout(timer);
    timer = setTimeout(save, saveDelay);
  }

  function showQA(issues) {
    document.querySelectorAll("ul.qa").forEach(function (ul) {
      ul.textContent = "";
    });
    document.querySelectorAll("tr.segment").forEach(function (tr) {
      tr.classList.remove("has-blocking");
    });
    issues.forEach(function (is) {
      var ul = document.getElementById("qa-" + is.segment);
      if (!ul) return;
      var li = document.createElement("li");
      li.className = is.severity;
      var sev = document.createElement("span");
      sev.className = "sev";
      sev.textContent = is.label;
      li.appendChild(sev);
      li.appendChild(document.createTextNode(" " + is.message));
      ul.appendChild(li);
      if (is.severity === "blocking") {
        var tr = document.getElementById("seg-" + is.segment);
        if (tr) tr.classList.add("has-blocking");
      }
    });
  }

  function save() {
    clearTimeout(timer);
    var indexes = Object.keys(dirty);
    if (indexes.length === 0) return;
    if (saving) {
      again = true;
      return;
    }
    saving = true;
    dirty = {};
    var segments = indexes.map(function (i) {
      return { index: Number(i), text: document.getElementById("target-" + i).value };
    });
    var renew = Date.now() - lastRenew > renewEvery;
    setStatus("saving", msg("js.saving"));
    fetch("/ui/tasks/" + taskID + "/draft", {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ segments: segments, renew: renew })
    })
      .then(function (resp) {
        return resp.json().then(function (body) {
          return { ok: resp.ok, body: body };
        });
      })
      .then(function (r) {
        if (!r.ok) throw new Error((r.body && r.body.error && r.body.error.message) || "HTTP error");
        if (renew) lastRenew = Date.now();
        showQA(r.body.qa || []);
        if (r.body.lease) {
          var lease = document.getElementById("lease");
          if (lease) lease.textContent = r.body.lease;
        }
        if (Object.keys(dirty).length) {
          setStatus("dirty", msg("js.unsaved")); // typed while this save was on its way
        } else {
          setStatus("saved", msg("js.saved", [new Date().toLocaleTimeString(document.documentElement.lang, { hour12: false })]));
        }
      })
      .catch(function (err) {
        indexes.forEach(function (i) {
          dirty[i] = true;
        });
        setStatus("error", msg("js.save_failed", [err.message]));
      })
      .then(function () {
        saving = false;
        if (again) {
          again = false;
          save();
        }
      });
  }

  function use(ta, text) {
    ta.value = text;
    changed(ta);
    ta.focus();
  }

  targets.forEach(function (ta, pos) {
    grow(ta);
    ta.addEventListener("input", function () {
      changed(ta);
    });
    ta.addEventListener("blur", function () {
      if (Object.keys(dirty).length) save();
    });
    ta.addEventListener("keydown", function (ev) {
      var ctrl = (ev.ctrlKey || ev.metaKey) && !ev.altKey;
      // Browsers keep Ctrl+1..8 for switching tabs before the page sees
      // them, so Alt+1..9 inserts a suggestion too.
      var alt = ev.altKey && !(ev.ctrlKey || ev.metaKey);
      if (!ctrl && !alt) return;
      if (ctrl && ev.key === "Enter") {
        ev.preventDefault();
        var next = targets[pos + 1];
        if (next) {
          next.focus();
          next.setSelectionRange(next.value.length, next.value.length);
        } else {
          var submit = document.getElementById("submit");
          if (submit) submit.focus();
        }
        return;
      }
      var n = /^[1-9]$/.test(ev.key) ? ev.key : (/^Digit[1-9]$/.test(ev.code) ? ev.code.slice(5) : "");
      if (!n) return;
      var sug = document.getElementById("sug-" + ta.getAttribute("data-index") + "-" + n);
      if (!sug) return;
      ev.preventDefault();
      use(ta, sug.textContent);
    });
  });

  work.querySelectorAll("button.use").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var ta = document.getElementById(btn.getAttribute("data-target"));
      var sug = document.getElementById(btn.getAttribute("data-source"));
      if (ta && sug) use(ta, sug.textContent);
    });
  });

  work.addEventListener("submit", function () {
    submitting = true;
    clearTimeout(timer);
  });

  window.addEventListener("beforeunload", function (ev) {
    if (!submitting && Object.keys(dirty).length) {
      ev.preventDefault();
      ev.returnValue = "";
    }
  });
})();
