// Komar's page behaviour. Served as a file: the Content-Security-Policy allows no inline
// script and no event-handler attributes.
"use strict";

// Enter in a search-as-you-type box (the village picker) must not submit the form.
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && event.target.matches && event.target.matches("[data-enter-stays]")) {
    event.preventDefault();
  }
});
