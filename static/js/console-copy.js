// Copy buttons of new keys and share links (Settings, Traffic): the value stays selectable in
// its read-only box when the clipboard is not available.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy);
    var done = button.parentElement.parentElement.querySelector(".copy-done");
    if (!source) return;
    button.addEventListener("click", function () {
      var said = function (text) { if (done) done.textContent = text; };
      var select = function () {
        source.focus();
        source.select();
        said("Selected: press Ctrl+C (⌘C on a Mac) to copy.");
      };
      if (!navigator.clipboard) return select();
      navigator.clipboard.writeText(source.value).then(function () { said("Copied."); }, select);
    });
  });
})();
