-- The incident of a delivery is read from its alert row: intake writes delivery, incident, alert
-- and outbox row in one statement, where a row cannot be updated after it is inserted.
alter table deliveries drop column incident_id;
create index alerts_delivery on alerts (source, delivery_id);
-- Alerts are written on every delivery and read whole: json keeps the text as sent, without
-- jsonb's parse on the webhook's hot path.
alter table alerts alter column alert type json using alert::json;
