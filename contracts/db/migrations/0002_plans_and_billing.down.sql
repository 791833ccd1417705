DROP TABLE payment_callbacks;
DROP TABLE payments;
DROP TABLE subscriptions;
DROP TABLE plans;
