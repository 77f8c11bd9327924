package io.fidelis.points.application;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Whose balance changed, second by second, readable by every node: how a live balance on any
 * node hears of a change without reading each subscriber's account on a timer. Settling notes
 * the members of each batch; a watcher reads the last few seconds by exact keys.
 *
 * <p>A hint, not a record: the account is the truth. A note that could not be written costs a
 * live subscriber that one update (the next change brings the balance as it then stands).
 */
public interface BalanceFeed {

	/** Notes that these members' balances changed now. */
	void changed(Collection<String> memberIds);

	/**
	 * The members noted in each of the given seconds (epoch seconds), in the order noted; a
	 * second with no note is left out.
	 */
	Map<Long, List<String>> noted(Collection<Long> seconds);
}
