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
  function money(amount, currencyCode) {
    const currency = (currencyCode || $("storefront").dataset.currency || "INR").toUpperCase();
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
    $("cart-total").textContent = money(cart ? cart.total : 0, cart && cart.currency);
    $("checkout-total").textContent = money(cart ? cart.total : 0, cart && cart.currency);
    $("cart-lines").replaceChildren(...lines.map(cartLineRender));
    totalsRender($("cart-totals"), cart);
    totalsRender($("checkout-totals"), cart);
    discountRender();
  }

  // --- totals and the discount code -----------------------------------------------------
  const cents = (amount) => Math.round(Number(amount || 0) * 100);

  // Subtotal, discount, delivery and tax of a cart or an order answer (the server's sums).
  // Tax that is part of the prices (the total does not add it) reads "includes ₹x tax".
  function totalsRender(list, priced) {
    if (!priced || !priced.lines.length) { list.replaceChildren(); return; }
    const inMoney = (amount) => money(amount, priced.currency);
    const added = cents(priced.tax) > 0 && cents(priced.total) ===
      cents(priced.subtotal) - cents(priced.discount) + cents(priced.delivery_fee) + cents(priced.tax);
    const rows = [["Subtotal", inMoney(priced.subtotal), "subtotal"]];
    if (cents(priced.discount) > 0) {
      rows.push([`Discount (${priced.discount_code})`, `\u2212${inMoney(priced.discount)}`, "discount"]);
    }
    rows.push(["Delivery", cents(priced.delivery_fee) > 0 ? inMoney(priced.delivery_fee) : "Free", "delivery"]);
    if (cents(priced.tax) > 0) {
      rows.push(["Tax", added ? inMoney(priced.tax) : `includes ${inMoney(priced.tax)} tax`, "tax"]);
    }
    list.replaceChildren(...rows.flatMap(([term, value, name]) => {
      const dd = element("dd", { text: value });
      dd.dataset.total = name;
      return [element("dt", { text: term }), dd];
    }));
  }

  // A refused code in plain words, by the server's code (docs/commerce.md).
  const DISCOUNT_WORDS = {
    discount_invalid: () => "This code is not valid in this shop. Check the spelling, or ask the shop for a current code.",
    discount_expired: () => "This code has expired.",
    discount_exhausted: () => "This code has been used up.",
    discount_min_subtotal: (d) => (d.min_subtotal
      ? `This code needs an order of at least ${money(d.min_subtotal)}. Add ${money(d.short_by)} more to use it.`
      : "Your cart is below this code's minimum order."),
    discount_not_yours: () => "This code was given to another customer, so it cannot be used here.",
    discount_used_up: () => "Sorry, another order has just used this code up.",
  };

  function discountWords(code, details = {}, fallback = "") {
    return DISCOUNT_WORDS[code] ? DISCOUNT_WORDS[code](details) : fallback;
  }

  function discountRender() {
    const lines = cart ? cart.lines : [];
    $("discount-form").hidden = lines.length === 0;
    const code = cart ? cart.discount_code : "";
    $("discount-applied").hidden = !code;
    if (!code) return;
    const problem = cart.discount_problem;
    $("discount-applied-text").textContent = problem
      ? `Code ${code} does not apply now: ${discountWords(problem.code, {}, problem.error)}`
      : `Code ${code} applied: you save ${money(cart.discount, cart.currency)}.`;
    $("discount-applied").classList.toggle("problem", Boolean(problem));
    $("remove-discount").textContent = `Remove code ${code}`;
  }

  function discountError(message) {
    const error = $("discount-code-error");
    error.textContent = message;
    error.hidden = false;
    $("discount-code").setAttribute("aria-invalid", "true");
    $("discount-code").setAttribute("aria-errormessage", error.id);
    $("discount-code").focus();
  }

  async function discountApply(event) {
    event.preventDefault();
    const code = $("discount-code").value.trim();
    if (!code) { discountError("Type the code first."); return; }
    try {
      cart = await api("POST", "/api/cart/discount", {
        headers: { "X-Cart-Token": cart.token }, body: { code },
      });
    } catch (error) {
      if (!DISCOUNT_WORDS[error.code]) throw error;
      discountError(discountWords(error.code, error.details));
      return;
    }
    $("discount-code").value = "";
    cartRender();
    flash(`Code ${cart.discount_code} applied.`);
  }

  async function discountRemove() {
    const code = cart.discount_code;
    cart = await api("DELETE", "/api/cart/discount", { headers: { "X-Cart-Token": cart.token } });
    cartRender();
    flash(`Code ${code} removed.`);
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
    // The cart's token comes along: signing in with it makes the cart the buyer's.
    const result = await api("POST", "/api/customers/otp/verify", {
      body: { mobile: $("mobile").value, otp: $("otp").value },
      headers: cart && cart.token ? { "X-Cart-Token": cart.token } : {},
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
          payment_method: paymentMethodChosen(),
          // Optional: the order's updates by e-mail too (the SMS goes to the signed-in mobile).
          ...($("email").value.trim() ? { email: $("email").value.trim() } : {}),
        },
      });
      store.removeItem(KEYS.cart);
      store.removeItem(KEYS.checkoutKey);
      cart = null;
      cartRender();
      justPlaced = order.order_id;
      flashClear();  // the page thanks the buyer; an earlier note is not about this order
      orderRender(order);
      location.hash = `#/order/${order.order_id}`;
    } catch (error) {
      if (error.status === 401) { forgetBuyer(); signedInRender(); }
      // The code failed a rule only the order can check (its last use went meanwhile, it was
      // given to another customer): say so in words, with the way forward.
      if (DISCOUNT_WORDS[error.code]) {
        await cartLoad();
        cartRender();
        throw new Error(`${discountWords(error.code, error.details)} Remove the code in your cart to order without it.`);
      }
      if (error.code === "payment_method_unavailable") {
        throw new ApiError(400, { details: { payment_method: [
          "This shop does not take this way of paying any more. Choose another."] } });
      }
      throw error;
    } finally {
      $("place-order").disabled = false;
    }
  }

  // --- payment ------------------------------------------------------------------------
  const PAYMENT_METHODS = { cod: "Cash on delivery", upi: "UPI" };

  function paymentMethodChosen() {
    const chosen = document.querySelector("input[name=payment_method]:checked");
    return chosen ? chosen.value : "cod";
  }

  function paymentStatusWords(order) {
    if (order.payment_status === "paid") return "Paid";
    if (order.payment_status === "refunded") return "Refunded";
    return order.payment_method === "upi" ? "Waiting for your payment" : "Pay when it arrives";
  }

  // A UPI order still to pay shows its QR code (inline SVG from the server) and the upi://
  // link, which a phone opens in the buyer's UPI app.
  function paymentRender(order) {
    $("order-payment-method").textContent = PAYMENT_METHODS[order.payment_method] || order.payment_method;
    $("order-payment-status").textContent = paymentStatusWords(order);
    const toPay = order.payment_method === "upi" && order.payment_status === "pending" && order.payment;
    $("order-upi").hidden = !toPay;
    if (!toPay) { $("upi-qr").replaceChildren(); return; }
    $("upi-amount").textContent = money(order.total, order.currency);
    $("upi-qr").innerHTML = order.payment.qr_svg;
    $("upi-link").href = order.payment.upi_uri;
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
    $("order-total").textContent = money(order.total, order.currency);
    totalsRender($("order-totals"), order);
    paymentRender(order);
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
    $("discount-form").addEventListener("submit", (event) => act(() => discountApply(event)));
    $("remove-discount").addEventListener("click", () => act(discountRemove));
    $("login-form").addEventListener("submit", (event) => act(() => otpSend(event)));
    $("verify-otp").addEventListener("click", () => act(otpVerify));
    $("address-form").addEventListener("submit", (event) => act(() => orderPlace(event)));
    $("sign-out").addEventListener("click", () => act(signOut));
    window.addEventListener("hashchange", () => act(route));
    act(async () => { await cartLoad(); cartRender(); signedInRender(); await route(); });
  });
})();
