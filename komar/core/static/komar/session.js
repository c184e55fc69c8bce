// The idle sign-out, announced: a dialog two minutes before the session ends, with
// "Stay signed in". The time left comes from the server (GET /session/status/ reads the
// session's end without moving it), so work in another tab counts too. When the session
// ends anyway, the dialog says so and offers to sign in again; komar/drafts.js has kept
// what was typed. Served as a file: the Content-Security-Policy allows no inline script.
"use strict";

(() => {
  const body = document.body;
  const statusUrl = body.dataset.sessionStatus;
  const dialog = document.getElementById("session-warning");
  if (!statusUrl || !dialog) {
    return;
  }
  const keepAliveUrl = body.dataset.sessionKeepAlive;
  const soon = document.getElementById("session-warning-soon");
  const ended = document.getElementById("session-warning-ended");
  const countdown = document.getElementById("session-countdown");
  const stay = document.getElementById("session-stay");
  // Two minutes before the end; for an idle period under four minutes, half of it.
  const WARN_SECONDS = Math.min(120, Number(body.dataset.sessionSeconds || 0) / 2);
  const RETRY_MS = 15000;

  let deadline = Date.now() + Number(body.dataset.sessionSeconds || 0) * 1000;
  let timer = null;
  let ticker = null;
  let over = false;

  const csrfToken = () => {
    try {
      return JSON.parse(body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    const wait = deadline - WARN_SECONDS * 1000 - Date.now();
    timer = setTimeout(check, Math.max(0, wait));
  };

  const status = async () => {
    const response = await fetch(statusUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) {
      throw new Error(`status ${response.status}`);
    }
    return response.json();
  };

  const format = (seconds) => {
    const s = Math.max(0, Math.ceil(seconds));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  };

  const show = (state) => {
    soon.hidden = state !== "soon";
    ended.hidden = state !== "ended";
    if (!dialog.open) {
      dialog.showModal();
    }
  };

  const end = () => {
    over = true;
    clearInterval(ticker);
    clearTimeout(timer);
    show("ended");
    document.getElementById("session-sign-in").focus();
    document.dispatchEvent(new CustomEvent("komar:session-ended"));
  };

  const tick = async () => {
    const left = (deadline - Date.now()) / 1000;
    countdown.textContent = format(left);
    if (left > 0) {
      return;
    }
    clearInterval(ticker);
    try {
      const s = await status();
      if (s.signed_in && s.seconds_left > 0) {
        deadline = Date.now() + s.seconds_left * 1000;
        warnOrWait();
        return;
      }
    } catch (error) {
      // The server cannot be reached: the session has ended by now in any case.
    }
    end();
  };

  const warn = () => {
    document.dispatchEvent(new CustomEvent("komar:session-warning"));
    show("soon");
    tick();
    clearInterval(ticker);
    ticker = setInterval(tick, 1000);
    stay.focus();
  };

  const warnOrWait = () => {
    if ((deadline - Date.now()) / 1000 > WARN_SECONDS + 1) {
      clearInterval(ticker);
      if (dialog.open) {
        dialog.close();
      }
      schedule();
    } else {
      warn();
    }
  };

  async function check() {
    if (over) {
      return;
    }
    try {
      const s = await status();
      if (!s.signed_in) {
        end();
        return;
      }
      deadline = Date.now() + s.seconds_left * 1000;
      warnOrWait();
    } catch (error) {
      timer = setTimeout(check, RETRY_MS);
    }
  }

  stay.addEventListener("click", async () => {
    stay.disabled = true;
    try {
      const response = await fetch(keepAliveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      });
      if (response.status === 401 || response.status === 403) {
        end();
        return;
      }
      const s = await response.json();
      deadline = Date.now() + s.seconds_left * 1000;
      warnOrWait();
    } catch (error) {
      // Keep the dialog: the countdown goes on and the user may try again.
    } finally {
      stay.disabled = false;
    }
  });

  // Escape must not hide the warning while the countdown runs: it would end unseen.
  dialog.addEventListener("cancel", (event) => {
    if (!over) {
      event.preventDefault();
    }
  });

  // Each HTMX request (the village picker...) starts a new idle period on the server.
  document.body.addEventListener("htmx:afterRequest", (event) => {
    if (!over && event.detail && event.detail.successful) {
      deadline = Date.now() + Number(body.dataset.sessionSeconds || 0) * 1000;
      warnOrWait();
    }
  });

  schedule();
})();
