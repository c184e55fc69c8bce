// "Add another" for Django formsets (guardians and family members): a button copies the
// formset's empty row, kept in a <template>, and counts it in TOTAL_FORMS. Without this
// script the form still works with the rows the server rendered.
"use strict";

(() => {
  const addRow = (container) => {
    const prefix = container.dataset.formset;
    const total = container.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
    const max = container.querySelector(`input[name="${prefix}-MAX_NUM_FORMS"]`);
    const template = container.querySelector("template[data-formset-empty]");
    const rows = container.querySelector("[data-formset-rows]");
    const index = Number(total.value);
    if (max && index >= Number(max.value)) {
      return null;
    }
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const row = holder.firstElementChild;
    row.querySelectorAll("[data-formset-number]").forEach((el) => {
      el.textContent = String(index + 1);
    });
    rows.appendChild(row);
    total.value = String(index + 1);
    const button = container.querySelector("[data-formset-add]");
    if (max && index + 1 >= Number(max.value)) {
      button.hidden = true;
    }
    return row;
  };

  document.querySelectorAll("[data-formset]").forEach((container) => {
    const button = container.querySelector("[data-formset-add]");
    if (!button) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", () => {
      const row = addRow(container);
      const first = row && row.querySelector("input, select, textarea");
      if (first) {
        first.focus();
      }
    });
  });

  // Used by komar/drafts.js to give a restored draft as many rows as it had.
  window.komarFormsetAddRow = addRow;
})();
