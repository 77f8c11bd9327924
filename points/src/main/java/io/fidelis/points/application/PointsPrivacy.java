package io.fidelis.points.application;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;

import io.fidelis.members.MemberDataContributor;
import io.fidelis.members.MemberId;
import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.Lot;
import io.fidelis.points.domain.PointsAccount;
import io.fidelis.points.domain.Source;

/**
 * The points part of a member's privacy rights: their account and whole ledger in an export;
 * on erasure, the free text (reasons, external references) goes while every amount stays.
 */
@Service
public class PointsPrivacy implements MemberDataContributor {

	private final AccountStore accounts;

	PointsPrivacy(AccountStore accounts) {
		this.accounts = accounts;
	}

	@Override
	public String section() {
		return "points";
	}

	@Override
	public Map<String, Object> export(MemberId member) {
		Map<String, Object> data = new LinkedHashMap<>();
		accounts.find(member.value()).ifPresent(stored -> {
			PointsAccount a = stored.account();
			data.put("available", a.available());
			data.put("pending", a.pending());
			data.put("lifetimeEarned", a.lifetimeEarned());
			data.put("lifetimeRedeemed", a.lifetimeRedeemed());
			data.put("openedAt", a.openedAt().toString());
			List<Map<String, Object>> lots = new ArrayList<>();
			for (Lot lot : a.lots()) {
				Map<String, Object> l = new LinkedHashMap<>();
				l.put("amount", lot.amount());
				l.put("remaining", lot.remaining());
				l.put("earnedAt", lot.earnedAt().toString());
				l.put("availableAt", lot.availableAt().toString());
				l.put("expiresAt", lot.expiresAt() == null ? null : lot.expiresAt().toString());
				l.put("transaction", lot.transaction());
				l.put("source", source(lot.source()));
				lots.add(l);
			}
			data.put("lots", lots);
			List<Map<String, Object>> ledger = new ArrayList<>();
			for (Entry e : accounts.history(member.value(), a.version() + 1, Integer.MAX_VALUE, Integer.MAX_VALUE,
					new AccountStore.HistoryFilter(null, null, null)).entries()) {
				Map<String, Object> entry = new LinkedHashMap<>();
				entry.put("sequence", e.sequence());
				entry.put("type", e.type().name());
				entry.put("delta", e.delta());
				entry.put("at", e.at().toString());
				entry.put("transaction", e.transaction());
				entry.put("reason", e.reason());
				entry.put("source", source(e.source()));
				ledger.add(entry);
			}
			data.put("ledger", ledger);
		});
		return data;
	}

	public void erase(MemberId member) {
		accounts.scrubFreeText(member.value());
	}

	private static Map<String, Object> source(Source s) {
		if (s == null) {
			return null;
		}
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("channel", s.channel().name());
		m.put("region", s.region());
		m.put("store", s.store());
		m.put("partner", s.partner());
		m.put("externalReference", s.externalReference());
		return m;
	}
}
