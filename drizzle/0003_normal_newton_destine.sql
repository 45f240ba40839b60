DROP INDEX "activities_unresolved_account_idx";--> statement-breakpoint
DROP INDEX "activities_unresolved_contact_idx";--> statement-breakpoint
DROP INDEX "activities_unresolved_deal_idx";--> statement-breakpoint
DROP INDEX "contacts_unresolved_account_idx";--> statement-breakpoint
DROP INDEX "deals_unresolved_account_idx";--> statement-breakpoint
DROP INDEX "deals_unresolved_contact_idx";--> statement-breakpoint
CREATE INDEX "activities_unresolved_account_idx" ON "activities" USING btree ("organization_id","source","account_external_id") WHERE "activities"."account_id" is null and "activities"."account_external_id" is not null;--> statement-breakpoint
CREATE INDEX "activities_unresolved_contact_idx" ON "activities" USING btree ("organization_id","source","contact_external_id") WHERE "activities"."contact_id" is null and "activities"."contact_external_id" is not null;--> statement-breakpoint
CREATE INDEX "activities_unresolved_deal_idx" ON "activities" USING btree ("organization_id","source","deal_external_id") WHERE "activities"."deal_id" is null and "activities"."deal_external_id" is not null;--> statement-breakpoint
CREATE INDEX "contacts_unresolved_account_idx" ON "contacts" USING btree ("organization_id","source","account_external_id") WHERE "contacts"."account_id" is null and "contacts"."account_external_id" is not null;--> statement-breakpoint
CREATE INDEX "deals_unresolved_account_idx" ON "deals" USING btree ("organization_id","source","account_external_id") WHERE "deals"."account_id" is null and "deals"."account_external_id" is not null;--> statement-breakpoint
CREATE INDEX "deals_unresolved_contact_idx" ON "deals" USING btree ("organization_id","source","contact_external_id") WHERE "deals"."contact_id" is null and "deals"."contact_external_id" is not null;