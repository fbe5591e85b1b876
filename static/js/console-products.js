// The product form: show the chosen picture before it is uploaded (the server still checks it).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", () => {
    const input = document.querySelector(".product-form input[type=file]");
    const preview = document.getElementById("image-preview");
    const none = document.getElementById("image-none");
    if (!input || !preview) return;
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      if (!file) return;
      if (preview.dataset.objectUrl) URL.revokeObjectURL(preview.dataset.objectUrl);
      preview.dataset.objectUrl = URL.createObjectURL(file);
      preview.src = preview.dataset.objectUrl;
      preview.alt = `Preview of ${file.name}`;
      preview.hidden = false;
      if (none) none.hidden = true;
    });
  });
})();
