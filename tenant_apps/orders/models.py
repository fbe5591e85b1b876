from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper

from tenant_apps.catalog.models import Product


class Customer(models.Model):
    """A buyer of this store, known by mobile number (unique within the store's schema)."""

    mobile = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.mobile

    # DRF and Django treat the request's user as signed in when this is true.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False


class Address(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    pincode = models.CharField(max_length=12)
    phone = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-last_used_at", "-id"]
        verbose_name_plural = "addresses"

    def __str__(self):
        return f"{self.line1}, {self.city} {self.pincode}"


class Cart(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CONVERTED = "converted", "Converted to an order"

    # The cart's only credential is its token (random, unguessable, kept by the buyer's client
    # as X-Cart-Token); only its SHA-256 is stored, and carts are looked up by it.
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    # The discount code the buyer applied (checked again when the order is placed).
    discount = models.ForeignKey(
        "DiscountCode", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The buyer who signed in with this cart in hand (abandoned carts show their mobile); a
    # cart is anonymous until then.
    customer = models.ForeignKey(
        "Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="carts"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped whenever the buyer looks at or changes the cart; idle carts are removed.
    last_activity_at = models.DateTimeField(db_index=True)

    # The plain token, known only while serving the request that made the cart or carries its
    # token (set by cart_create and cart_get); never saved.
    token = ""

    def __str__(self):
        return f"cart {self.pk} ({self.status})"


class CartLine(models.Model):
    """A product in a cart, with the name, price and image read when the line was set."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    image = models.CharField(max_length=255, blank=True)
    quantity = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="orders_cartline_unique"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=99),
                name="orders_cartline_quantity_range",
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.name}"


class Order(models.Model):
    class Status(models.TextChoices):
        PLACED = "placed", "Placed"
        ACCEPTED = "accepted", "Accepted"
        SHIPPED = "shipped", "Shipped"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"

    class PaymentMethod(models.TextChoices):
        COD = "cod", "Cash on delivery"
        UPI = "upi", "UPI"

    class PaymentStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        PAID = "paid", "Paid"
        REFUNDED = "refunded", "Refunded"

    number = models.CharField(max_length=20, unique=True, null=True, blank=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="orders")
    # One order per cart: a cart submitted twice (or by two racing requests) gives one order.
    cart = models.OneToOneField(
        Cart, null=True, blank=True, on_delete=models.SET_NULL, related_name="order"
    )
    idempotency_key = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLACED)
    # The order's own copy of its totals (pricing.totals_compute with the store's rules of the
    # moment); `total` is what the buyer pays.
    subtotal = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    discount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    delivery_fee = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    tax = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    total = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="INR")
    discount_code = models.CharField(max_length=40, blank=True)
    payment_method = models.CharField(
        max_length=10, choices=PaymentMethod.choices, default=PaymentMethod.COD
    )
    payment_status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    payment_reference = models.CharField(max_length=100, blank=True)
    payment_recorded_at = models.DateTimeField(null=True, blank=True)
    # The delivery address as it was at placement; later edits of the address book do not
    # rewrite history.
    address = models.ForeignKey(
        Address, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    address_line1 = models.CharField(max_length=200)
    address_line2 = models.CharField(max_length=200, blank=True)
    address_city = models.CharField(max_length=100)
    address_pincode = models.CharField(max_length=12)
    address_phone = models.CharField(max_length=16)
    note = models.TextField(blank=True)
    # The buyer's e-mail for this order's notifications, when they gave one (optional: buyers
    # sign in by mobile, so the SMS is the one channel every order has).
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    # When a member of the store first opened the order in the console (null: a new order).
    # One marker per store, not per member: once a teammate has opened it, someone handles it.
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="orders_order_unique_idempotency_key",
            ),
        ]

    def __str__(self):
        return f"order {self.number}"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    # PROTECT: a product that was ordered can be archived, never deleted.
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_lines")
    name = models.CharField(max_length=200)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    mrp = models.DecimalField(max_digits=10, decimal_places=2)
    image = models.CharField(max_length=255, blank=True)
    quantity = models.PositiveSmallIntegerField()
    line_total = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.quantity} x {self.name}"


class DiscountCode(models.Model):
    """A code buyers type at checkout (tenant_apps/orders/discounts.py holds its rules).

    Unique in the store whatever its case ("DIWALI" and "diwali" are one code). A code given
    to one client by the conversations tool carries that client's mobile and e-mail: only the
    customer with that mobile (or e-mail) may use it.
    """

    class Kind(models.TextChoices):
        PERCENT = "percent", "Percent off"
        AMOUNT = "amount", "Amount off"

    code = models.CharField(max_length=40)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # A percentage (0.01 to 100) or an amount of the store's currency.
    value = models.DecimalField(max_digits=10, decimal_places=2)
    min_subtotal = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    max_uses = models.PositiveIntegerField(null=True, blank=True)
    max_uses_per_customer = models.PositiveIntegerField(null=True, blank=True)
    # Counted under the code's row lock by discount_redeem, next to one DiscountUse per use.
    uses_count = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    only_for_mobile = models.CharField(max_length=16, blank=True)
    only_for_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(Upper("code"), name="orders_discountcode_code_ci_unique"),
            # OR, not IN: PostgreSQL prints an IN check differently once a new store's schema
            # is cloned from the template's definitions, and clones must read as the template.
            models.CheckConstraint(
                condition=Q(kind="percent") | Q(kind="amount"), name="orders_discountcode_kind"
            ),
            models.CheckConstraint(
                condition=Q(value__gt=0) & (Q(kind="amount") | Q(value__lte=100)),
                name="orders_discountcode_value_range",
            ),
            # The last line of defence against overselling a code (discount_redeem locks).
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(uses_count__lte=F("max_uses")),
                name="orders_discountcode_uses_within_max",
            ),
        ]

    def __str__(self):
        return self.code


class DiscountUse(models.Model):
    """One order that used a code: a customer's uses of a code are counted from these."""

    discount = models.ForeignKey(DiscountCode, on_delete=models.PROTECT, related_name="uses")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    # An order takes at most one code.
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="discount_use")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["discount", "customer"])]

    def __str__(self):
        return f"{self.discount} on order {self.order_id}"


class OrderNotification(models.Model):
    """One message about an order to one recipient: the outbox of order notifications.

    Rows are written in the transaction of the order event itself (placed, shipped, delivered,
    cancelled), one per event x channel x recipient, unique, so an event is announced once.
    Sending goes pending -> sending -> sent (or back to pending for a retry, or failed); a
    sender claims a row with SELECT ... FOR UPDATE SKIP LOCKED and commits the claim before the
    message leaves, so two workers never send one row twice (tenant_apps/orders/notifications.py).
    """

    class Event(models.TextChoices):
        PLACED = "placed", "Order placed"
        SHIPPED = "shipped", "Order shipped"
        DELIVERED = "delivered", "Order delivered"
        CANCELLED = "cancelled", "Order cancelled"
        # To the store's members: a new order came in.
        NEW_ORDER = "new_order", "New order (to the team)"

    class Channel(models.TextChoices):
        SMS = "sms", "SMS"
        EMAIL = "email", "E-mail"

    class Audience(models.TextChoices):
        BUYER = "buyer", "Buyer"
        MEMBER = "member", "Store member"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(max_length=12, choices=Event.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    audience = models.CharField(max_length=8, choices=Audience.choices)
    # An E.164 mobile (SMS) or an e-mail address, as it was when the event happened.
    recipient = models.CharField(max_length=254)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a sender may next claim it: at once, later after a failure (backoff).
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "event", "channel", "recipient"],
                name="orders_notification_once",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="orders_notification_due",
            ),
        ]

    def __str__(self):
        return f"{self.event} {self.channel} to {self.recipient} ({self.status})"
