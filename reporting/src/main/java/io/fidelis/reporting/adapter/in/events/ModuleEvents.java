package io.fidelis.reporting.adapter.in.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import io.fidelis.members.MemberEnrolled;
import io.fidelis.members.MembersEnrolled;
import io.fidelis.members.MemberStatusChanged;
import io.fidelis.members.TierChanged;
import io.fidelis.points.PointsAdjusted;
import io.fidelis.points.PointsEarned;
import io.fidelis.points.PointsExpired;
import io.fidelis.points.PointsMovement;
import io.fidelis.points.PointsRedeemed;
import io.fidelis.points.PointsReversed;
import io.fidelis.points.PointsSettled;
import io.fidelis.points.PointsTransferred;
import io.fidelis.reporting.application.RecordingActivity;
import io.fidelis.reporting.domain.Activity;
import io.fidelis.reporting.domain.Activity.Kind;

/**
 * The events reporting counts. Ids come from the source (a points account's version, a
 * member's own change), so an event delivered twice is counted once. Points come in settled
 * batches, counted together.
 */
@Component
class ModuleEvents {

	private final RecordingActivity recording;

	ModuleEvents(RecordingActivity recording) {
		this.recording = recording;
	}

	/** A settled batch is counted together: one call, a few writes for all of it. */
	@ApplicationModuleListener
	void on(PointsSettled settled) {
		List<Activity> activities = new ArrayList<>(settled.count());
		for (PointsMovement m : settled.movements()) {
			kind(m).ifPresent(kind -> activities.add(points(kind, m)));
		}
		recording.recordAll(activities);
	}

	/** Activation moves points from pending to available and changes no total: not counted. */
	private static Optional<Kind> kind(PointsMovement m) {
		if (m instanceof PointsEarned) {
			return Optional.of(Kind.ISSUED);
		}
		if (m instanceof PointsReversed) {
			return Optional.of(Kind.REVERSED);
		}
		if (m instanceof PointsRedeemed) {
			return Optional.of(Kind.REDEEMED);
		}
		if (m instanceof PointsExpired) {
			return Optional.of(Kind.EXPIRED);
		}
		if (m instanceof PointsAdjusted) {
			return Optional.of(Kind.ADJUSTED);
		}
		if (m instanceof PointsTransferred) {
			return Optional.of(Kind.TRANSFERRED);
		}
		return Optional.empty();
	}

	private static Activity points(Kind kind, PointsMovement m) {
		String member = m.memberId().value();
		return new Activity("points:" + member + ":" + m.version(), m.programId().value(), kind, member, m.at(), m.delta(),
				m.region(), m.channel(), m.store(), m.partner(), null, null, false, false, false);
	}

	@ApplicationModuleListener
	void on(MemberEnrolled e) {
		recording.record(enrolled(e));
	}

	/** An import's batch, counted together. */
	@ApplicationModuleListener
	void on(MembersEnrolled batch) {
		recording.recordAll(batch.members().stream().map(ModuleEvents::enrolled).toList());
	}

	private static Activity enrolled(MemberEnrolled e) {
		return new Activity("enrolled:" + e.memberId().value(), e.programId().value(), Kind.ENROLLED,
				e.memberId().value(), e.enrolledAt(), 0, null, e.channel().name(), null, null, null, null, false, false,
				false);
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
}
