// Drafts kept on the user's device, so an idle sign-out never loses a long form.
//
// What a user types into a covered form is encrypted in the browser (WebCrypto
// AES-256-GCM) with a key the server gives only to that user's signed-in session
// (GET /session/draft-key/: derived from the server's secret, the user and the day, never
// stored), and kept in localStorage under an opaque name per user and form. After the
// same user signs in again and opens the same form, they may restore it or discard it.
// Nothing is sent to the server; no one else signed in on the same PC can read it; a
// draft expires after 24 hours and is wiped when its user signs out.
// Design and limits: docs/decisions/0006-drafts-on-the-device.md.
"use strict";

(() => {
  const body = document.body;
  const keyUrl = body.dataset.draftKey;
  const slot = body.dataset.draftSlot;
  const PREFIX = "komar-draft:";
  const SUBMITTED = "komar-draft-submitted";
  const MAX_AGE_MS = 24 * 60 * 60 * 1000;
  const SAVE_DELAY_MS = 400;
  const FORMS = "form[data-draft], form#child-form, form#case-form, form#screening-form";
  const SKIP = /(^csrfmiddlewaretoken$)|(-(INITIAL|MIN_NUM|MAX_NUM)_FORMS$)/;

  let storage = null;
  try {
    storage = window.localStorage;
  } catch (error) {
    return; // storage refused (privacy settings): no drafts, nothing else changes
  }

  const now = () => Date.now();

  // Drafts past their age go, whoever wrote them.
  const sweep = () => {
    for (let i = storage.length - 1; i >= 0; i -= 1) {
      const name = storage.key(i);
      if (!name || !name.startsWith(PREFIX)) {
        continue;
      }
      try {
        const record = JSON.parse(storage.getItem(name));
        if (!record || typeof record.exp !== "number" || record.exp < now()) {
          storage.removeItem(name);
        }
      } catch (error) {
        storage.removeItem(name);
      }
    }
  };

  const wipe = (ownSlot) => {
    for (let i = storage.length - 1; i >= 0; i -= 1) {
      const name = storage.key(i);
      if (name && name.startsWith(`${PREFIX}${ownSlot}:`)) {
        storage.removeItem(name);
      }
    }
  };

  sweep();

  // Signing out wipes this user's drafts on this device.
  document.querySelectorAll("form[data-draft-wipe]").forEach((form) => {
    form.addEventListener("submit", () => {
      if (slot) {
        wipe(slot);
      }
      try {
        window.sessionStorage.removeItem(SUBMITTED);
      } catch (error) {
        // nothing to clear
      }
    });
  });

  if (!keyUrl || !slot || !window.crypto || !window.crypto.subtle) {
    return; // not signed in, or no WebCrypto (plain HTTP): never store a draft in clear
  }

  const subtle = window.crypto.subtle;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
  const unb64 = (text) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));

  const digest = async (text) => {
    const hash = await subtle.digest("SHA-256", encoder.encode(text));
    return Array.from(new Uint8Array(hash).slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
  };

  let keysPromise = null;
  const keys = () => {
    if (!keysPromise) {
      keysPromise = fetch(keyUrl, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" },
      })
        .then((response) => {
          if (!response.ok) {
            throw new Error(`draft key ${response.status}`);
          }
          return response.json();
        })
        .then(async (answer) => {
          const imported = {};
          for (const [window_, raw] of Object.entries(answer.keys)) {
            imported[window_] = await subtle.importKey("raw", unb64(raw), "AES-GCM", false, [
              "encrypt",
              "decrypt",
            ]);
          }
          return { window: String(answer.window), keys: imported, slot: answer.slot };
        });
      keysPromise.catch(() => {
        keysPromise = null;
      });
    }
    return keysPromise;
  };

  const fieldsOf = (form) => {
    const values = [];
    for (const el of form.elements) {
      if (!el.name || SKIP.test(el.name) || el.disabled) {
        continue;
      }
      if (el.type === "password" || el.type === "file" || el.type === "submit" || el.type === "button") {
        continue;
      }
      if (el.type === "checkbox" || el.type === "radio") {
        values.push([el.name, el.value, el.checked]);
      } else if (el.tagName === "SELECT" && el.multiple) {
        values.push([el.name, Array.from(el.selectedOptions, (o) => o.value), null]);
      } else {
        values.push([el.name, el.value, null]);
      }
    }
    return values;
  };

  const sameValues = (form, fields) => JSON.stringify(fieldsOf(form)) === JSON.stringify(fields);

  const setField = (form, name, value, checked) => {
    const found = form.querySelectorAll(`[name="${CSS.escape(name)}"]`);
    found.forEach((el) => {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.value === value) {
          el.checked = Boolean(checked);
        }
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.from(el.options).forEach((o) => {
          o.selected = value.includes(o.value);
        });
      } else if (el.type !== "hidden" || !name.endsWith("TOTAL_FORMS")) {
        el.value = value;
      }
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  };

  const restore = (form, fields) => {
    // Give formsets (guardians) as many rows as the draft had, before filling them.
    fields
      .filter(([name]) => name.endsWith("-TOTAL_FORMS"))
      .forEach(([name, value]) => {
        const prefix = name.slice(0, -"-TOTAL_FORMS".length);
        const container = form.querySelector(`[data-formset="${CSS.escape(prefix)}"]`);
        const total = form.elements.namedItem(name);
        while (container && total && Number(total.value) < Number(value) && window.komarFormsetAddRow) {
          if (!window.komarFormsetAddRow(container)) {
            break;
          }
        }
      });
    fields.forEach(([name, value, checked]) => setField(form, name, value, checked));
  };

  const setUp = (form) => {
    const formId = form.dataset.draft || form.id;
    let storeName = null;
    let aad = null;
    const ready = digest(`${slot}|${formId}|${window.location.pathname}`).then((hash) => {
      storeName = `${PREFIX}${slot}:${hash}`;
      aad = encoder.encode(storeName);
      return storeName;
    });
    let typed = false;
    let pending = null;
    // While a stored draft waits for "Restore" or "Discard", it is not overwritten.
    let held = true;

    const save = async () => {
      if (held) {
        return;
      }
      try {
        await ready;
        const k = await keys();
        const plain = encoder.encode(
          JSON.stringify({ path: window.location.pathname, form: formId, saved: now(), fields: fieldsOf(form) }),
        );
        const iv = window.crypto.getRandomValues(new Uint8Array(12));
        const sealed = await subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad }, k.keys[k.window], plain);
        storage.setItem(
          storeName,
          JSON.stringify({ v: 1, w: k.window, exp: now() + MAX_AGE_MS, iv: b64(iv), ct: b64(sealed) }),
        );
      } catch (error) {
        // No key (signed out meanwhile) or storage full: the form itself is untouched.
      }
    };

    const open = async () => {
      const stored = storage.getItem(storeName);
      if (!stored) {
        return null;
      }
      try {
        const record = JSON.parse(stored);
        const k = await keys();
        const key = k.keys[record.w];
        if (!key || record.exp < now()) {
          storage.removeItem(storeName);
          return null;
        }
        const plain = await subtle.decrypt(
          { name: "AES-GCM", iv: unb64(record.iv), additionalData: aad },
          key,
          unb64(record.ct),
        );
        const draft = JSON.parse(decoder.decode(plain));
        if (draft.saved + MAX_AGE_MS < now()) {
          storage.removeItem(storeName);
          return null;
        }
        return draft;
      } catch (error) {
        if (error instanceof DOMException && error.name === "OperationError") {
          storage.removeItem(storeName); // not this user's key, or tampered with
        }
        return null;
      }
    };

    const schedule = () => {
      typed = true;
      clearTimeout(pending);
      pending = setTimeout(save, SAVE_DELAY_MS);
    };
    // Listen at once: what is typed while the key is fetched counts too.
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    form.addEventListener("submit", () => {
      try {
        if (storeName) {
          window.sessionStorage.setItem(
            SUBMITTED,
            JSON.stringify({ name: storeName, path: window.location.pathname }),
          );
        }
      } catch (error) {
        // without sessionStorage the draft simply expires
      }
    });
    document.addEventListener("komar:session-warning", () => typed && save());
    document.addEventListener("komar:session-ended", () => typed && save());

    return (async () => {
      await ready;
      const draft = await open();
      if (draft && !sameValues(form, draft.fields) && !isEmptyDraft(draft)) {
        offer(
          form,
          () => {
            restore(form, draft.fields);
            held = false;
            save();
          },
          () => {
            storage.removeItem(storeName);
            held = false;
            if (typed) {
              save();
            }
          },
        );
      } else {
        held = false;
        if (typed) {
          save();
        }
      }
      return storeName;
    })();
  };

  const isEmptyDraft = (draft) =>
    draft.fields.every(([name, value, checked]) => name.endsWith("TOTAL_FORMS") || (checked === null ? !value || !String(value).trim() : true));

  const offer = (form, onRestore, onDiscard) => {
    const template = document.getElementById("draft-offer");
    if (!template) {
      return;
    }
    const box = template.content.firstElementChild.cloneNode(true);
    form.parentNode.insertBefore(box, form);
    box.querySelector("#draft-restore").addEventListener("click", () => {
      onRestore();
      const done = document.getElementById("draft-restored");
      box.replaceWith(done ? done.content.firstElementChild.cloneNode(true) : document.createTextNode(""));
    });
    box.querySelector("#draft-discard").addEventListener("click", () => {
      onDiscard();
      box.remove();
    });
    box.querySelector("#draft-restore").focus();
  };

  const forms = Array.from(document.querySelectorAll(FORMS));
  Promise.all(forms.map(setUp)).then((names) => {
    let submitted = null;
    try {
      submitted = JSON.parse(window.sessionStorage.getItem(SUBMITTED) || "null");
    } catch (error) {
      return;
    }
    if (!submitted) {
      return;
    }
    window.sessionStorage.removeItem(SUBMITTED);
    // Saved: the form's own page sent the user straight here (its redirect after
    // saving), and this page has not the form again. After a sign-in in between, the
    // page before this one is the sign-in page, and the draft stays.
    let from = "";
    try {
      from = document.referrer ? new URL(document.referrer).pathname : "";
    } catch (error) {
      from = "";
    }
    if (
      !names.includes(submitted.name) &&
      from === submitted.path &&
      String(submitted.name).startsWith(`${PREFIX}${slot}:`)
    ) {
      storage.removeItem(submitted.name);
    }
  });
})();
