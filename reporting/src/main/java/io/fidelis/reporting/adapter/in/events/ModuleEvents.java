package io.fidelis.reporting.adapter.in.events;

import java.time.Instant;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import io.fidelis.members.MemberEnrolled;
import io.fidelis.members.MemberStatusChanged;
import io.fidelis.members.TierChanged;
import io.fidelis.points.PointsAdjusted;
import io.fidelis.points.PointsEarned;
import io.fidelis.points.PointsExpired;
import io.fidelis.points.PointsRedeemed;
import io.fidelis.points.PointsReversed;
import io.fidelis.points.PointsTransferred;
import io.fidelis.reporting.application.RecordingActivity;
import io.fidelis.reporting.domain.Activity;
import io.fidelis.reporting.domain.Activity.Kind;

/**
 * The events reporting counts. Ids come from the source (a points account's version, a
 * member's own change), so an event delivered twice is counted once. Activation is not
 * listened to: it moves points from pending to available and changes no total.
 */
@Component
class ModuleEvents {

	private final RecordingActivity recording;

	ModuleEvents(RecordingActivity recording) {
		this.recording = recording;
	}

	@ApplicationModuleListener
	void on(PointsEarned e) {
		points(Kind.ISSUED, e.memberId().value(), e.programId().value(), e.version(), e.delta(), e.region(), e.channel(),
				e.store(), e.partner(), e.at());
	}

	@ApplicationModuleListener
	void on(PointsReversed e) {
		points(Kind.REVERSED, e.memberId().value(), e.programId().value(), e.version(), e.delta(), e.region(),
				e.channel(), e.store(), e.partner(), e.at());
	}

	@ApplicationModuleListener
	void on(PointsRedeemed e) {
		points(Kind.REDEEMED, e.memberId().value(), e.programId().value(), e.version(), e.delta(), e.region(),
				e.channel(), e.store(), e.partner(), e.at());
	}

	@ApplicationModuleListener
	void on(PointsExpired e) {
		points(Kind.EXPIRED, e.memberId().value(), e.programId().value(), e.version(), e.delta(), e.region(), e.channel(),
				e.store(), e.partner(), e.at());
	}

	@ApplicationModuleListener
	void on(PointsAdjusted e) {
		points(Kind.ADJUSTED, e.memberId().value(), e.programId().value(), e.version(), e.delta(), e.region(),
				e.channel(), e.store(), e.partner(), e.at());
	}

	@ApplicationModuleListener
	void on(PointsTransferred e) {
		points(Kind.TRANSFERRED, e.memberId().value(), e.programId().value(), e.version(), e.delta(), null, null, null,
				null, e.at());
	}

	@ApplicationModuleListener
	void on(MemberEnrolled e) {
		recording.record(new Activity("enrolled:" + e.memberId().value(), e.programId().value(), Kind.ENROLLED,
				e.memberId().value(), e.enrolledAt(), 0, null, e.channel().name(), null, null, null, null, false, false,
				false));
	}

	@ApplicationModuleListener
	void on(TierChanged e) {
		recording.record(new Activity("tier:" + e.memberId().value() + ":" + e.at().toEpochMilli() + ":" + e.tier(),
				e.programId().value(), Kind.TIER_CHANGED, e.memberId().value(), e.at(), 0, null, null, null, null,
				e.previousTier(), e.tier(), false, false, false));
	}

	@ApplicationModuleListener
	void on(MemberStatusChanged e) {
		if ("CLOSED".equals(e.status()) && !"CLOSED".equals(e.previous())) {
			recording.record(new Activity("closed:" + e.memberId().value(), e.programId().value(), Kind.CLOSED,
					e.memberId().value(), e.at(), 0, null, null, null, null, null, null, false, false, false));
		}
	}

	private void points(Kind kind, String member, String program, long version, long delta, String region,
			String channel, String store, String partner, Instant at) {
		recording.record(new Activity("points:" + member + ":" + version, program, kind, member, at, delta, region,
				channel, store, partner, null, null, false, false, false));
	}
}
