package io.fidelis.points.application;

import java.util.Collection;
import java.util.Map;

import io.fidelis.points.domain.PointsAccount;

/** Where points accounts are kept, one document per member. */
public interface AccountStore {

	/** Opens the account unless it is open already; true when this call opened it. */
	boolean openIfAbsent(PointsAccount account);

	Map<String, PointsAccount> findAll(Collection<String> memberIds);
}
