/*
 * Seller Suite signup widget (v1).
 *
 * Embed:
 *   <script src="<platform>/static/widgets/signup.v1.js" data-site-key="pk_…"
 *           data-endpoint="<store>/api/widget/signups" async></script>
 *
 * Everything renders inside a Shadow DOM, so the host page's styles never reach the widget and
 * the widget's never leak out. Texts come from data-* attributes (see DEFAULT_TEXTS).
 */
import { STYLES } from "./styles.js";

const DEFAULT_TEXTS = {
  title: "Get our news",
  description: "Leave your e-mail and we will tell you about new products and offers.",
  buttonText: "Get updates",
  emailLabel: "E-mail address",
  emailPlaceholder: "you@example.com",
  nameLabel: "Name",
  submitText: "Sign up",
  sendingText: "Sending…",
  successText: "Thank you! You are on the list.",
  errorText: "Sorry, that did not work. Please try again later.",
  invalidEmailText: "Please enter a valid e-mail address.",
  throttledText: "Too many attempts. Please wait a minute and try again.",
  notSetUpText: "This site is not set up for signups yet.",
  consentText: "",
  closeLabel: "Close",
};

const DISMISS_DAYS_DEFAULT = 30;
const STORAGE_PREFIX = "ss-signup:";

function currentScriptTag() {
  if (document.currentScript) return document.currentScript;
  // Fallback for environments without currentScript: the first tag not yet set up.
  return document.querySelector('script[src*="signup.v1"]:not([data-ss-ready])');
}

function readTexts(dataset) {
  const texts = {};
  for (const name of Object.keys(DEFAULT_TEXTS)) {
    texts[name] = dataset[name] !== undefined ? dataset[name] : DEFAULT_TEXTS[name];
  }
  return texts;
}

function storage() {
  try {
    const probe = STORAGE_PREFIX + "probe";
    window.localStorage.setItem(probe, "1");
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch (error) {
    return null; // private mode or blocked storage: the widget still works, it just forgets
  }
}

function remembered(store, key, days) {
  if (!store) return false;
  const value = Number(store.getItem(key) || 0);
  return value > 0 && Date.now() - value < days * 24 * 60 * 60 * 1000;
}

function element(tag, attributes, children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children || []) node.appendChild(child);
  return node;
}

function endpointWithKey(endpoint, siteKey) {
  // The key also travels in X-Site-Key; the query parameter makes the preflight precise.
  if (!siteKey || /[?&]key=/.test(endpoint)) return endpoint;
  return endpoint + (endpoint.indexOf("?") === -1 ? "?" : "&") + "key=" + encodeURIComponent(siteKey);
}

function mount(script) {
  script.setAttribute("data-ss-ready", "");
  const dataset = script.dataset;
  const siteKey = (dataset.siteKey || "").trim();
  // Only the seller's console sets it, on its preview page (checked by the server, not kept).
  const previewToken = (dataset.previewToken || "").trim();
  const endpoint = (dataset.endpoint || "").trim();
  if (!endpoint) {
    console.warn("Signup widget: data-endpoint is missing.");
    return;
  }
  const texts = readTexts(dataset);
  const askName = dataset.askName === "true";
  const dismissDays = Number(dataset.dismissDays || DISMISS_DAYS_DEFAULT);
  const store = storage();
  const dismissKey = STORAGE_PREFIX + "dismissed:" + (siteKey || endpoint);
  const doneKey = STORAGE_PREFIX + "subscribed:" + (siteKey || endpoint);

  const host = element("div", { "data-seller-suite-widget": "signup" });
  const root = host.attachShadow({ mode: "open" });
  root.appendChild(element("style", { text: STYLES }));

  const uid = "ss" + Math.random().toString(36).slice(2, 8);
  const launcher = element("button", {
    type: "button",
    class: "launcher",
    "aria-expanded": "false",
    "aria-controls": uid + "-panel",
    text: texts.buttonText,
  });
  const closeButton = element("button", {
    type: "button",
    class: "close",
    "aria-label": texts.closeLabel,
    text: "×",
  });
  const emailInput = element("input", {
    id: uid + "-email",
    name: "email",
    type: "email",
    autocomplete: "email",
    required: true,
    placeholder: texts.emailPlaceholder,
    maxlength: "254",
  });
  const nameInput = askName
    ? element("input", { id: uid + "-name", name: "name", type: "text", autocomplete: "name", maxlength: "120" })
    : null;
  // Humans never see or reach this field; bots that fill every input give themselves away.
  const honeypot = element("input", {
    name: "website",
    type: "text",
    tabindex: "-1",
    autocomplete: "off",
    "aria-hidden": "true",
    class: "hp",
  });
  const consentInput = texts.consentText
    ? element("input", { id: uid + "-consent", name: "consent", type: "checkbox" })
    : null;
  const submitButton = element("button", { type: "submit", class: "submit", text: texts.submitText });
  const message = element("p", { class: "message", role: "status", "aria-live": "polite" });

  const fields = [
    element("label", { for: uid + "-email", text: texts.emailLabel }),
    emailInput,
  ];
  if (nameInput) fields.push(element("label", { for: uid + "-name", text: texts.nameLabel }), nameInput);
  if (consentInput) {
    fields.push(
      element("label", { class: "consent", for: uid + "-consent" }, [
        consentInput,
        element("span", { text: texts.consentText }),
      ]),
    );
  }
  fields.push(element("div", { class: "hp", "aria-hidden": "true" }, [honeypot]), submitButton);
  const form = element("form", { novalidate: true }, fields);

  const panel = element(
    "div",
    {
      id: uid + "-panel",
      class: "panel",
      role: "dialog",
      "aria-modal": "false",
      "aria-labelledby": uid + "-title",
      hidden: true,
    },
    [
      closeButton,
      element("h2", { id: uid + "-title", text: texts.title }),
      element("p", { class: "description", text: texts.description }),
      form,
      message,
    ],
  );
  root.appendChild(element("div", { class: "widget" }, [panel, launcher]));

  function open(focus) {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcher.hidden = true;
    if (focus) emailInput.focus();
  }

  function close(remember) {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    if (remember && store) store.setItem(dismissKey, String(Date.now()));
    launcher.focus();
  }

  function showMessage(text, kind) {
    message.textContent = text;
    message.className = "message " + kind;
  }

  launcher.addEventListener("click", () => open(true));
  closeButton.addEventListener("click", () => close(true));
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close(true);
    }
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (submitButton.disabled) return;
    const email = emailInput.value.trim();
    if (!email || !emailInput.checkValidity()) {
      showMessage(texts.invalidEmailText, "error");
      emailInput.setAttribute("aria-invalid", "true");
      emailInput.focus();
      return;
    }
    emailInput.removeAttribute("aria-invalid");
    submitButton.disabled = true;
    submitButton.textContent = texts.sendingText;
    showMessage("", "");
    const body = { email, page_url: window.location.href, website: honeypot.value };
    if (nameInput) body.name = nameInput.value.trim();
    if (consentInput) body.consent = consentInput.checked;
    const headers = { "Content-Type": "application/json" };
    if (siteKey) headers["X-Site-Key"] = siteKey;
    if (previewToken) headers["X-Widget-Preview"] = previewToken;
    try {
      const response = await fetch(endpointWithKey(endpoint, siteKey), {
        method: "POST",
        mode: "cors",
        credentials: "omit",
        headers,
        body: JSON.stringify(body),
      });
      if (response.ok) {
        form.hidden = true;
        showMessage(texts.successText, "success");
        if (store) store.setItem(doneKey, String(Date.now()));
        return;
      }
      let payload = {};
      try {
        payload = await response.json();
      } catch (error) {
        payload = {};
      }
      if (response.status === 429) showMessage(texts.throttledText, "error");
      else if (response.status === 403 && payload.code === "origin_not_allowed") {
        // This page's address is not among the site's allowed origins (the seller's console
        // lists it with an Allow button).
        showMessage(texts.notSetUpText, "error");
      }
      else if (response.status === 400 && payload.code === "invalid_email") {
        showMessage(texts.invalidEmailText, "error");
        emailInput.setAttribute("aria-invalid", "true");
      } else showMessage(texts.errorText, "error");
    } catch (error) {
      // Network failure, or the browser blocked the answer.
      showMessage(texts.errorText, "error");
    } finally {
      submitButton.disabled = false;
      submitButton.textContent = texts.submitText;
    }
  });

  document.body.appendChild(host);
  const quiet = remembered(store, dismissKey, dismissDays) || remembered(store, doneKey, 3650);
  if (!quiet) open(false);
}

function start() {
  const script = currentScriptTag();
  if (!script || script.hasAttribute("data-ss-ready")) return;
  if (document.body) mount(script);
  else document.addEventListener("DOMContentLoaded", () => mount(script), { once: true });
}

start();
