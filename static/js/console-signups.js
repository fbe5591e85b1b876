// Copy buttons of the console's signup pages. Without JavaScript the button stays hidden and
// the snippet is still there to select in its read-only box.
(function () {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const source = document.getElementById(button.dataset.copy);
    const done = button.parentElement.querySelector(".copy-done");
    if (!source) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.value);
        if (done) done.textContent = "Copied.";
      } catch (error) {
        source.focus();
        source.select();
        if (done) done.textContent = "Selected: press Ctrl+C (⌘C on a Mac) to copy.";
      }
    });
  }
})();
