// The store link's shop: catalogue (rendered by the server), cart, OTP sign-in, checkout.
// Everything talks to the store's buyer APIs on this same host; totals come from the server.
(function () {
  "use strict";

  const KEYS = { cart: "ss.cartToken", access: "ss.buyerAccess", refresh: "ss.buyerRefresh",
    mobile: "ss.buyerMobile", checkoutKey: "ss.checkoutKey" };
  const $ = (id) => document.getElementById(id);
  const store = window.localStorage;
  let cart = null;

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.error) || `Request failed (${status})`);
      this.status = status;
      this.code = body && body.code;
    }
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
    if (!response.ok) { signOut(); return false; }
    store.setItem(KEYS.access, (await response.json()).access);
    return true;
  }

  function signOut() {
    [KEYS.access, KEYS.refresh, KEYS.mobile].forEach((key) => store.removeItem(key));
  }

  function flash(message, isError = false) {
    const element = $("flash");
    element.textContent = message;
    element.classList.toggle("error", isError);
    element.hidden = false;
    clearTimeout(flash.timer);
    flash.timer = setTimeout(() => { element.hidden = true; }, 4000);
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

  function cartRender() {
    const lines = cart ? cart.lines : [];
    $("cart-count").textContent = cart ? cart.item_count : 0;
    $("cart-empty").hidden = lines.length > 0;
    $("cart-table").hidden = lines.length === 0;
    $("go-checkout").disabled = lines.length === 0;
    $("cart-total").textContent = cart ? cart.total : "0.00";
    $("checkout-total").textContent = cart ? cart.total : "0.00";
    const body = $("cart-lines");
    body.replaceChildren();
    for (const line of lines) {
      const row = document.createElement("tr");
      row.dataset.productId = line.product_id;
      const name = document.createElement("td");
      if (line.image) {
        const img = document.createElement("img");
        img.src = line.image; img.alt = ""; img.className = "cart-thumb";
        name.append(img);
      }
      name.append(line.name);
      const price = document.createElement("td");
      price.textContent = line.unit_price;
      const qtyCell = document.createElement("td");
      const qty = document.createElement("input");
      qty.type = "number"; qty.min = "0"; qty.max = "99"; qty.value = line.quantity;
      qty.className = "qty";
      qty.addEventListener("change", () => act(() => cartSet(line.product_id, Number(qty.value))));
      qtyCell.append(qty);
      const total = document.createElement("td");
      total.textContent = line.line_total;
      const removeCell = document.createElement("td");
      const remove = document.createElement("button");
      remove.type = "button"; remove.className = "link"; remove.textContent = "Remove";
      remove.addEventListener("click", () => act(() => cartSet(line.product_id, 0)));
      removeCell.append(remove);
      row.append(name, price, qtyCell, total, removeCell);
      body.append(row);
    }
  }

  // --- sign-in and checkout -------------------------------------------------------------
  function checkoutRender() {
    const signedIn = Boolean(store.getItem(KEYS.access));
    $("login-form").hidden = signedIn;
    $("address-form").hidden = !signedIn;
    $("signed-in-mobile").textContent = store.getItem(KEYS.mobile) || "";
    $("orders-link").hidden = !signedIn;
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
      if (last) ["line1", "line2", "city", "pincode", "phone"].forEach((f) => { $(f).value = last[f]; });
      else $("phone").value = result.customer.mobile;
    } catch (error) { /* the address form simply starts empty */ }
    checkoutRender();
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
          address: Object.fromEntries(
            ["line1", "line2", "city", "pincode", "phone"].map((f) => [f, $(f).value])),
          note: $("note").value,
        },
      });
      store.removeItem(KEYS.cart);
      store.removeItem(KEYS.checkoutKey);
      cart = null;
      cartRender();
      confirmationRender(order);
      location.hash = `#/order/${order.order_id}`;
    } catch (error) {
      if (error.status === 401) { signOut(); checkoutRender(); }
      throw error;
    } finally {
      $("place-order").disabled = false;
    }
  }

  function confirmationRender(order) {
    $("order-number").textContent = `#${order.number}`;
    $("order-status").textContent = order.status;
    $("order-total").textContent = order.total;
    const list = $("order-lines");
    list.replaceChildren();
    for (const line of order.lines) {
      const item = document.createElement("li");
      item.textContent = `${line.quantity} × ${line.name} — ${line.line_total}`;
      list.append(item);
    }
  }

  async function ordersRender() {
    const page = await api("GET", "/api/customers/me/orders", { auth: true });
    const body = $("my-orders");
    body.replaceChildren();
    for (const order of page.results) {
      const row = document.createElement("tr");
      for (const text of [`#${order.number}`, new Date(order.created_at).toLocaleString(),
        order.status, order.total]) {
        const cell = document.createElement("td");
        cell.textContent = text;
        row.append(cell);
      }
      body.append(row);
    }
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
    if (hash === "#/cart") { cartRender(); show("cart"); }
    else if (hash === "#/checkout") { cartRender(); checkoutRender(); show("checkout"); }
    else if (hash === "#/orders" && store.getItem(KEYS.access)) { await ordersRender(); show("orders"); }
    else if (orderMatch) {
      if (store.getItem(KEYS.access)) {
        confirmationRender(await api("GET", `/api/customers/me/orders/${orderMatch[1]}`, { auth: true }));
      }
      show("confirmation");
    } else show("catalog");
  }

  async function act(work) {
    try { await work(); } catch (error) { flash(error.message, true); }
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".add-to-cart").forEach((button) => {
      button.addEventListener("click", () => act(async () => {
        const productId = Number(button.dataset.productId);
        if (!cart) await cartLoad({ create: true });
        await cartSet(productId, Math.min(lineQuantity(productId) + 1, 99));
        flash("Added to your cart.");
      }));
    });
    $("go-checkout").addEventListener("click", () => { location.hash = "#/checkout"; });
    $("login-form").addEventListener("submit", (event) => act(() => otpSend(event)));
    $("verify-otp").addEventListener("click", () => act(otpVerify));
    $("address-form").addEventListener("submit", (event) => act(() => orderPlace(event)));
    window.addEventListener("hashchange", () => act(route));
    act(async () => { await cartLoad(); cartRender(); checkoutRender(); await route(); });
  });
})();
