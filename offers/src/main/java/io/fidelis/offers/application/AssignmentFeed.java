package io.fidelis.offers.application;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Who was given an offer, second by second, readable by every node: how a live subscriber on any
 * node hears of a new assignment without reading the member's offers on a timer. Noted once the
 * assignment is stored (after its transaction, where there is one); read by exact keys.
 *
 * <p>A hint, not a record: the assignments are the truth. A note that could not be written costs
 * a live subscriber that assignment until the member's next one.
 */
public interface AssignmentFeed {

	/** Notes that these members were given offers now. */
	void assigned(Collection<String> memberIds);

	/** The members noted in each of the given seconds (epoch seconds), in the order noted; seconds without notes left out. */
	Map<Long, List<String>> noted(Collection<Long> seconds);
}
