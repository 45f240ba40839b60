ALTER TABLE "accounts" ADD COLUMN "created_migration_id" uuid;--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "created_migration_id" uuid;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "created_migration_id" uuid;--> statement-breakpoint
ALTER TABLE "deals" ADD COLUMN "created_migration_id" uuid;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "created_migration_id" uuid;--> statement-breakpoint
ALTER TABLE "migrations" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "migrations" ADD COLUMN "lease_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_created_migration_id_migrations_id_fk" FOREIGN KEY ("created_migration_id") REFERENCES "public"."migrations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_created_migration_id_migrations_id_fk" FOREIGN KEY ("created_migration_id") REFERENCES "public"."migrations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_created_migration_id_migrations_id_fk" FOREIGN KEY ("created_migration_id") REFERENCES "public"."migrations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_created_migration_id_migrations_id_fk" FOREIGN KEY ("created_migration_id") REFERENCES "public"."migrations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_created_migration_id_migrations_id_fk" FOREIGN KEY ("created_migration_id") REFERENCES "public"."migrations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "accounts_created_migration_idx" ON "accounts" USING btree ("created_migration_id");--> statement-breakpoint
CREATE INDEX "activities_unresolved_account_idx" ON "activities" USING btree ("organization_id","source","account_external_id") WHERE "activities"."account_id" is null;--> statement-breakpoint
CREATE INDEX "activities_unresolved_contact_idx" ON "activities" USING btree ("organization_id","source","contact_external_id") WHERE "activities"."contact_id" is null;--> statement-breakpoint
CREATE INDEX "activities_unresolved_deal_idx" ON "activities" USING btree ("organization_id","source","deal_external_id") WHERE "activities"."deal_id" is null;--> statement-breakpoint
CREATE INDEX "activities_created_migration_idx" ON "activities" USING btree ("created_migration_id");--> statement-breakpoint
CREATE INDEX "contacts_unresolved_account_name_idx" ON "contacts" USING btree ("organization_id",lower("account_name")) WHERE "contacts"."account_id" is null and "contacts"."account_name" is not null;--> statement-breakpoint
CREATE INDEX "contacts_created_migration_idx" ON "contacts" USING btree ("created_migration_id");--> statement-breakpoint
CREATE INDEX "deals_unresolved_account_idx" ON "deals" USING btree ("organization_id","source","account_external_id") WHERE "deals"."account_id" is null;--> statement-breakpoint
CREATE INDEX "deals_unresolved_account_name_idx" ON "deals" USING btree ("organization_id",lower("account_name")) WHERE "deals"."account_id" is null and "deals"."account_name" is not null;--> statement-breakpoint
CREATE INDEX "deals_unresolved_contact_idx" ON "deals" USING btree ("organization_id","source","contact_external_id") WHERE "deals"."contact_id" is null;--> statement-breakpoint
CREATE INDEX "deals_created_migration_idx" ON "deals" USING btree ("created_migration_id");--> statement-breakpoint
CREATE INDEX "leads_created_migration_idx" ON "leads" USING btree ("created_migration_id");--> statement-breakpoint
CREATE INDEX "migrations_active_idx" ON "migrations" USING btree ("status","lease_expires_at") WHERE "migrations"."status" in ('queued', 'running', 'paused');