package io.fidelis.reporting.domain;

/** A second cut of report rows, besides time. */
public enum Dimension {
	REGION, CHANNEL, STORE, PARTNER
}
