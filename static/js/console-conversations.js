// The composer's placeholder picker: insert {{ name }} where the cursor is, then let htmx
// check the message again. Without JavaScript the placeholders are listed to type by hand.
(function () {
  const picker = document.querySelector(".placeholder-picker");
  const box = document.getElementById("id_payload");
  if (!picker || !box) return;
  picker.hidden = false;
  for (const button of picker.querySelectorAll("button[data-placeholder]")) {
    button.addEventListener("click", () => {
      const text = button.dataset.placeholder;
      const start = box.selectionStart ?? box.value.length;
      const end = box.selectionEnd ?? box.value.length;
      const before = box.value.slice(0, start);
      const spacer = before && !/\s$/.test(before) ? " " : "";
      box.value = before + spacer + text + box.value.slice(end);
      const caret = start + spacer.length + text.length;
      box.focus();
      box.setSelectionRange(caret, caret);
      box.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }
})();
