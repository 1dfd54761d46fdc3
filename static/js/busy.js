// Forms marked data-busy show that the server is working once submitted: the
// submit button turns busy (Pico draws a spinner) and cannot be pressed twice.
// Without JavaScript the forms work the same, only without the busy state.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.busy) return;
  const button = event.submitter || form.querySelector("[type=submit], button:not([type])");
  if (!button) return;
  if (button.getAttribute("aria-busy") === "true") {
    event.preventDefault();  // already sent: a second press would send it again
    return;
  }
  button.setAttribute("aria-busy", "true");
  if (button instanceof HTMLInputElement) button.value = form.dataset.busy;
  else button.textContent = form.dataset.busy;
});
