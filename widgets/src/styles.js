// Styles live inside the widget's shadow root: the host page cannot override them and they
// cannot leak out. `:host { all: initial }` stops inherited page styles (fonts, colours).
export const STYLES = `
:host { all: initial; }
.widget {
  position: fixed; right: 16px; bottom: 16px; z-index: 2147483000;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330;
}
.launcher, .submit {
  appearance: none; border: 0; border-radius: 999px; padding: 10px 18px; cursor: pointer;
  background: #2f6fed; color: #fff; font: inherit; font-weight: 600;
  box-shadow: 0 4px 14px rgba(0, 0, 0, .18);
}
.submit { border-radius: 8px; width: 100%; margin-top: 12px; box-shadow: none; }
.submit:disabled { opacity: .6; cursor: progress; }
.launcher:focus-visible, .submit:focus-visible, .close:focus-visible, input:focus-visible {
  outline: 3px solid #99b8ff; outline-offset: 2px;
}
.panel {
  position: relative; width: min(320px, calc(100vw - 32px)); box-sizing: border-box;
  background: #fff; border: 1px solid #e3e6eb; border-radius: 12px; padding: 18px 18px 16px;
  box-shadow: 0 10px 30px rgba(0, 0, 0, .18);
}
[hidden] { display: none !important; }
h2 { margin: 0 28px 6px 0; font-size: 17px; line-height: 1.3; }
.description { margin: 0 0 10px; color: #5b6474; font-size: 14px; }
label { display: block; margin: 10px 0 4px; font-weight: 600; font-size: 13px; }
input[type="email"], input[type="text"] {
  box-sizing: border-box; width: 100%; padding: 9px 11px; font: inherit; color: inherit;
  border: 1px solid #c9ced6; border-radius: 8px; background: #fff;
}
input[aria-invalid="true"] { border-color: #b42318; }
.consent { display: flex; gap: 8px; align-items: flex-start; font-weight: 400; }
.close {
  position: absolute; top: 8px; right: 8px; width: 32px; height: 32px; border: 0;
  background: transparent; font-size: 22px; line-height: 1; cursor: pointer; color: #5b6474;
  border-radius: 6px;
}
.hp { position: absolute !important; left: -10000px !important; width: 1px; height: 1px;
  overflow: hidden; }
.message { margin: 10px 0 0; font-size: 14px; min-height: 1px; }
.message:empty { display: none; }
.message.error { color: #b42318; }
.message.success { color: #067647; font-weight: 600; }
`;
