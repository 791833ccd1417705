-- Plans (seeded: free, pro_month, pro_year), subscriptions, payments and provider callbacks.

CREATE TABLE plans (
    code              text        PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,31}$'),
    name              text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 64),
    description       text        NOT NULL DEFAULT '' CHECK (char_length(description) <= 500),
    price_cents       bigint      NOT NULL CHECK (price_cents >= 0),
    currency          text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    billing_interval  text        NOT NULL CHECK (billing_interval IN ('MONTH', 'YEAR')),
    quota_per_period  integer     NOT NULL CHECK (quota_per_period >= 0),
    modes             text[]      NOT NULL CHECK (cardinality(modes) >= 1 AND modes <@ ARRAY['FAST', 'QUALITY']::text[]),
    active            boolean     NOT NULL DEFAULT true,
    version           bigint      NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

INSERT INTO plans (code, name, description, price_cents, currency, billing_interval, quota_per_period, modes) VALUES
    ('free',      'Free',          '20 images a month in FAST mode.',      0,    'USD', 'MONTH', 20,    ARRAY['FAST']),
    ('pro_month', 'Pro (monthly)', '2000 images a month in any mode.',     999,  'USD', 'MONTH', 2000,  ARRAY['FAST', 'QUALITY']),
    ('pro_year',  'Pro (yearly)',  '30000 images a year in any mode.',     9900, 'USD', 'YEAR',  30000, ARRAY['FAST', 'QUALITY']);

CREATE TABLE subscriptions (
    id                    uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id               uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    plan_code             text        NOT NULL REFERENCES plans (code),
    status                text        NOT NULL CHECK (status IN ('ACTIVE', 'CANCELED', 'EXPIRED')),
    current_period_start  timestamptz NOT NULL,
    current_period_end    timestamptz NOT NULL,
    version               bigint      NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT subscriptions_period CHECK (current_period_end > current_period_start)
);

-- At most one active subscription per user.
CREATE UNIQUE INDEX subscriptions_one_active_key ON subscriptions (user_id) WHERE status = 'ACTIVE';
CREATE INDEX subscriptions_user_idx ON subscriptions (user_id, created_at DESC);

CREATE TABLE payments (
    id                   uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id              uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    plan_code            text        NOT NULL REFERENCES plans (code),
    amount_cents         bigint      NOT NULL CHECK (amount_cents >= 0),
    currency             text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    status               text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED', 'EXPIRED')),
    provider             text        NOT NULL DEFAULT 'mock',
    checkout_expires_at  timestamptz NOT NULL,
    version              bigint      NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    paid_at              timestamptz,
    CONSTRAINT payments_paid CHECK ((status = 'SUCCEEDED') = (paid_at IS NOT NULL))
);

CREATE INDEX payments_user_idx ON payments (user_id, created_at DESC);

-- One row per provider event: a repeated callback finds its row and changes nothing.
CREATE TABLE payment_callbacks (
    event_id     text        PRIMARY KEY CHECK (char_length(event_id) BETWEEN 8 AND 128),
    payment_id   uuid        NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
    status       text        NOT NULL CHECK (status IN ('SUCCEEDED', 'FAILED')),
    payload      jsonb       NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX payment_callbacks_payment_idx ON payment_callbacks (payment_id);
