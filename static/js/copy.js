// A "Copy" button (data-copy="ID of a read-only field") puts the field's text on
// the clipboard and says so in its status line. Without JavaScript the field
// still holds the whole link, selected with the keyboard or the mouse.
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  if (!field) return;
  const status = document.getElementById(`${button.dataset.copy}-copied`);
  const say = (text) => { if (status) status.textContent = text; };
  field.select();
  const done = () => say("Copied.");
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, () => {
      say(document.execCommand("copy") ? "Copied." : "Press Ctrl+C to copy the selected link.");
    });
  } else {
    say(document.execCommand("copy") ? "Copied." : "Press Ctrl+C to copy the selected link.");
  }
});
