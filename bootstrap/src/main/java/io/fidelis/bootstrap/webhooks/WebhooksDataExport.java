package io.fidelis.bootstrap.webhooks;

import java.util.List;

import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

import io.fidelis.members.MemberDataExport;

/**
 * What webhooks sent about a member, as a section of their data export. Not under the webhook
 * operations' scope rule: the members module decided who may ask for the export.
 */
@Controller
class WebhooksDataExport {

	private final Webhooks webhooks;

	WebhooksDataExport(Webhooks webhooks) {
		this.webhooks = webhooks;
	}

	@SchemaMapping(typeName = "MemberDataExport")
	List<WebhookController.DeliveryView> webhookDeliveries(MemberDataExport export) {
		return webhooks.deliveriesAbout(export.memberId()).stream().map(WebhookController.DeliveryView::of).toList();
	}
}
