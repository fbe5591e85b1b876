// The store link's shop: catalogue (rendered by the server), cart, OTP sign-in, checkout, the
// buyer's orders and each order's page. Everything talks to the store's buyer APIs on this
// same host; totals come from the server.
(function () {
  "use strict";

  const KEYS = { cart: "ss.cartToken", access: "ss.buyerAccess", refresh: "ss.buyerRefresh",
    mobile: "ss.buyerMobile", checkoutKey: "ss.checkoutKey" };
  const ADDRESS_FIELDS = ["line1", "line2", "city", "pincode", "phone"];
  const SIGNS = { INR: "₹", USD: "$", EUR: "€", GBP: "£" };  // as the server's `money` filter
  const FLASH_SECONDS = 4;
  const $ = (id) => document.getElementById(id);
  const store = window.localStorage;
  let cart = null;
  let justPlaced = null;  // the id of the order placed in this page, to thank the buyer once

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.error) || `Request failed (${status})`);
      this.status = status;
      this.code = body && body.code;
      this.details = (body && body.details) || {};
    }
  }

  // "₹1,234.50" (rupees grouped in lakhs, as the server writes them); "AED 12.00" elsewhere.
  function money(amount) {
    const currency = ($("storefront").dataset.currency || "INR").toUpperCase();
    const value = Number(amount || 0);
    const figures = Math.abs(value).toLocaleString(currency === "INR" ? "en-IN" : "en-US",
      { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const sign = value < 0 ? "\u2212" : "";
    return SIGNS[currency] ? `${sign}${SIGNS[currency]}${figures}` : `${sign}${currency} ${figures}`;
  }

  async function api(method, path, { body, headers = {}, auth = false } = {}) {
    const options = { method, headers: { Accept: "application/json", ...headers } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    if (auth) options.headers.Authorization = `Bearer ${store.getItem(KEYS.access)}`;
    let response = await fetch(path, options);
    if (auth && response.status === 401 && (await refreshAccess())) {
      options.headers.Authorization = `Bearer ${store.getItem(KEYS.access)}`;
      response = await fetch(path, options);
    }
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }

  async function refreshAccess() {
    const refresh = store.getItem(KEYS.refresh);
    if (!refresh) return false;
    const response = await fetch("/api/customers/token/refresh", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refresh }),
    });
    if (!response.ok) { forgetBuyer(); return false; }
    store.setItem(KEYS.access, (await response.json()).access);
    return true;
  }

  function forgetBuyer() {
    [KEYS.access, KEYS.refresh, KEYS.mobile].forEach((key) => store.removeItem(key));
  }

  async function signOut() {
    const refresh = store.getItem(KEYS.refresh);
    forgetBuyer();
    if (refresh) {
      // The server revokes the refresh token; the tokens are forgotten here whatever it says.
      await fetch("/api/customers/logout", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh }),
      }).catch(() => null);
    }
    signedInRender();
    if (location.hash !== "#/") location.hash = "#/";
    flash("You are signed out.");
  }

  // --- messages -------------------------------------------------------------------------
  // A success note goes after a few seconds; an error stays until the next action starts
  // (or the buyer goes to another page), so it never outlives what it is about.
  function flash(message, isError = false) {
    const element = $("flash");
    element.textContent = message;
    element.classList.toggle("error", isError);
    element.hidden = false;
    clearTimeout(flash.timer);
    if (!isError) flash.timer = setTimeout(flashClear, FLASH_SECONDS * 1000);
  }

  function flashClear() {
    clearTimeout(flash.timer);
    $("flash").hidden = true;
    $("flash").textContent = "";
  }

  function fieldErrorsClear() {
    document.querySelectorAll(".field-error").forEach((element) => {
      element.hidden = true;
      element.textContent = "";
      const input = $(element.id.replace(/-error$/, ""));
      if (input) { input.removeAttribute("aria-invalid"); input.removeAttribute("aria-errormessage"); }
    });
  }

  // Field errors of a 400 ({"details": {"address": {"pincode": ["…"]}}}) next to their field;
  // returns whether any was shown.
  function fieldErrorsShow(details) {
    const flat = { ...details, ...(details.address || {}) };
    let shown = false;
    for (const [field, messages] of Object.entries(flat)) {
      const element = $(`${field}-error`);
      if (!element || !Array.isArray(messages)) continue;
      element.textContent = messages.join(" ");
      element.hidden = false;
      $(field).setAttribute("aria-invalid", "true");
      $(field).setAttribute("aria-errormessage", element.id);
      if (!shown) $(field).focus();
      shown = true;
    }
    return shown;
  }

  function randomKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // --- cart -----------------------------------------------------------------------------
  async function cartLoad({ create = false } = {}) {
    const token = store.getItem(KEYS.cart);
    if (token) {
      try {
        cart = await api("GET", "/api/cart", { headers: { "X-Cart-Token": token } });
        if (cart.status === "open") return cart;
      } catch (error) {
        if (error.status !== 404) throw error;
      }
    }
    cart = null;
    store.removeItem(KEYS.cart);
    if (!create) return null;
    cart = await api("POST", "/api/cart");
    store.setItem(KEYS.cart, cart.token);
    store.removeItem(KEYS.checkoutKey);
    return cart;
  }

  async function cartSet(productId, quantity) {
    if (!cart) await cartLoad({ create: true });
    try {
      cart = await api("PUT", "/api/cart/items", {
        headers: { "X-Cart-Token": cart.token },
        body: { product_id: productId, quantity },
      });
    } catch (error) {
      if (error.code === "cart_converted" || error.code === "cart_not_found") {
        await cartLoad({ create: true });
        return cartSet(productId, quantity);
      }
      throw error;
    }
    cartRender();
    return cart;
  }

  function lineQuantity(productId) {
    const line = cart && cart.lines.find((l) => l.product_id === productId);
    return line ? line.quantity : 0;
  }

  function element(tag, { className, text, label } = {}) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    if (label) node.setAttribute("aria-label", label);
    if (tag === "button") node.type = "button";
    return node;
  }

  function cartLineRender(line) {
    const item = element("li", { className: "cart-line" });
    item.dataset.productId = line.product_id;
    const name = element("span", { className: "line-name" });
    if (line.image) {
      const img = element("img", { className: "cart-thumb" });
      img.src = line.image; img.alt = "";
      name.append(img);
    }
    name.append(line.name);
    const stepper = element("span", { className: "stepper" });
    const less = element("button", { className: "decrease", text: "−",
      label: `Decrease quantity of ${line.name}` });
    const more = element("button", { className: "increase", text: "+",
      label: `Increase quantity of ${line.name}` });
    more.disabled = line.quantity >= 99;
    const qty = element("span", { className: "qty", text: String(line.quantity) });
    qty.setAttribute("aria-label", `Quantity of ${line.name}: ${line.quantity}`);
    less.addEventListener("click", () => act(() => cartSet(line.product_id, line.quantity - 1)));
    more.addEventListener("click", () => act(() => cartSet(line.product_id, line.quantity + 1)));
    stepper.append(less, qty, more);
    const remove = element("button", { className: "remove", text: "Remove",
      label: `Remove ${line.name} from cart` });
    remove.addEventListener("click", () => act(async () => {
      await cartSet(line.product_id, 0);
      flash(`${line.name} removed from your cart.`);
    }));
    item.append(name, element("span", { className: "line-price", text: `${money(line.unit_price)} each` }),
      stepper, element("span", { className: "line-total", text: money(line.line_total) }), remove);
    return item;
  }

  function cartRender() {
    const lines = cart ? cart.lines : [];
    $("cart-count").textContent = cart ? cart.item_count : 0;
    $("cart-empty").hidden = lines.length > 0;
    $("cart-summary").hidden = lines.length === 0;
    $("go-checkout").disabled = lines.length === 0;
    $("cart-total").textContent = money(cart ? cart.total : 0);
    $("checkout-total").textContent = money(cart ? cart.total : 0);
    $("cart-lines").replaceChildren(...lines.map(cartLineRender));
  }

  // --- sign-in and checkout -------------------------------------------------------------
  function signedInRender() {
    const signedIn = Boolean(store.getItem(KEYS.access));
    $("login-form").hidden = signedIn;
    $("address-form").hidden = !signedIn;
    $("signed-in-mobile").textContent = store.getItem(KEYS.mobile) || "";
    $("orders-link").hidden = !signedIn;
    $("sign-out").hidden = !signedIn;
  }

  async function otpSend(event) {
    event.preventDefault();
    await api("POST", "/api/customers/otp/request", { body: { mobile: $("mobile").value } });
    $("otp-step").hidden = false;
    $("otp").focus();
    flash("We sent you a code by SMS.");
  }

  async function otpVerify() {
    const result = await api("POST", "/api/customers/otp/verify", {
      body: { mobile: $("mobile").value, otp: $("otp").value },
    });
    store.setItem(KEYS.access, result.access);
    store.setItem(KEYS.refresh, result.refresh);
    store.setItem(KEYS.mobile, result.customer.mobile);
    try {
      const me = await api("GET", "/api/customers/me", { auth: true });
      const last = me.addresses[0];
      if (last) ADDRESS_FIELDS.forEach((f) => { $(f).value = last[f]; });
      else $("phone").value = result.customer.mobile;
    } catch (error) { /* the address form simply starts empty */ }
    flashClear();
    signedInRender();
  }

  async function orderPlace(event) {
    event.preventDefault();
    if (!cart || cart.lines.length === 0) { flash("Your cart is empty.", true); return; }
    // One key per cart: a double click or a retry after a network error gives one order.
    let key = store.getItem(KEYS.checkoutKey);
    if (!key) { key = randomKey(); store.setItem(KEYS.checkoutKey, key); }
    $("place-order").disabled = true;
    try {
      const order = await api("POST", "/api/orders", {
        auth: true,
        headers: { "Idempotency-Key": key },
        body: {
          cart_token: cart.token,
          address: Object.fromEntries(ADDRESS_FIELDS.map((f) => [f, $(f).value])),
          note: $("note").value,
        },
      });
      store.removeItem(KEYS.cart);
      store.removeItem(KEYS.checkoutKey);
      cart = null;
      cartRender();
      justPlaced = order.order_id;
      orderRender(order);
      location.hash = `#/order/${order.order_id}`;
    } catch (error) {
      if (error.status === 401) { forgetBuyer(); signedInRender(); }
      throw error;
    } finally {
      $("place-order").disabled = false;
    }
  }

  // --- the buyer's orders ---------------------------------------------------------------
  function dateText(iso) {
    return new Date(iso).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
  }

  function orderRender(order) {
    $("order-number").textContent = `#${order.number}`;
    $("order-thanks").hidden = order.order_id !== justPlaced;
    $("order-date").textContent = dateText(order.created_at);
    $("order-status").textContent = order.status;
    $("order-status").className = "status";
    $("order-total").textContent = money(order.total);
    $("order-lines").replaceChildren(...order.lines.map((line) => {
      const item = element("li");
      item.append(element("span", { text: `${line.quantity} × ${line.name} (${money(line.unit_price)} each)` }),
        element("strong", { text: money(line.line_total) }));
      return item;
    }));
    const a = order.address;
    $("order-address").textContent = [a.line1, a.line2, `${a.city} ${a.pincode}`, a.phone]
      .filter(Boolean).join("\n");
    $("order-note").hidden = !order.note;
    $("order-note").textContent = order.note ? `Note: ${order.note}` : "";
  }

  async function ordersRender() {
    const page = await api("GET", "/api/customers/me/orders", { auth: true });
    $("orders-empty").hidden = page.results.length > 0;
    $("my-orders").replaceChildren(...page.results.map((order) => {
      const item = element("li");
      const link = element("a");
      link.href = `#/order/${order.order_id}`;
      link.dataset.orderId = order.order_id;
      link.append(element("span", { className: "order-number", text: `Order #${order.number}` }),
        element("span", { className: "muted", text: dateText(order.created_at) }),
        element("span", { className: "status", text: order.status }),
        element("strong", { text: money(order.total) }));
      item.append(link);
      return item;
    }));
  }

  // --- routing --------------------------------------------------------------------------
  function show(view) {
    document.querySelectorAll("[data-view]").forEach((section) => {
      section.hidden = section.dataset.view !== view;
    });
  }

  async function route() {
    const hash = location.hash || "#/";
    const orderMatch = hash.match(/^#\/order\/(\d+)$/);
    const signedIn = Boolean(store.getItem(KEYS.access));
    fieldErrorsClear();
    if (hash === "#/cart") { cartRender(); show("cart"); }
    else if (hash === "#/checkout") { cartRender(); signedInRender(); show("checkout"); }
    else if ((hash === "#/orders" || orderMatch) && !signedIn) { signedInRender(); show("checkout"); }
    else if (hash === "#/orders") { await ordersRender(); show("orders"); }
    else if (orderMatch) {
      const order = await api("GET", `/api/customers/me/orders/${orderMatch[1]}`, { auth: true });
      orderRender(order);
      justPlaced = null;  // thanked once: opened again from My orders it is a plain order page
      show("order");
    } else show("catalog");
  }

  // Every action: the last action's error and field errors go as this one starts.
  async function act(work) {
    if ($("flash").classList.contains("error")) flashClear();
    fieldErrorsClear();
    try { await work(); } catch (error) {
      if (error.status === 400 && fieldErrorsShow(error.details)) flashClear();
      else flash(error.message, true);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".add-to-cart").forEach((button) => {
      button.addEventListener("click", () => act(async () => {
        const productId = Number(button.dataset.productId);
        if (!cart) await cartLoad({ create: true });
        await cartSet(productId, Math.min(lineQuantity(productId) + 1, 99));
        const name = button.closest(".product").querySelector(".product-name").textContent;
        flash(`${name} added to your cart.`);
      }));
    });
    $("go-checkout").addEventListener("click", () => { location.hash = "#/checkout"; });
    $("login-form").addEventListener("submit", (event) => act(() => otpSend(event)));
    $("verify-otp").addEventListener("click", () => act(otpVerify));
    $("address-form").addEventListener("submit", (event) => act(() => orderPlace(event)));
    $("sign-out").addEventListener("click", () => act(signOut));
    window.addEventListener("hashchange", () => act(route));
    act(async () => { await cartLoad(); cartRender(); signedInRender(); await route(); });
  });
})();
