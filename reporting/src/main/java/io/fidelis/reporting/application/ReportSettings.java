package io.fidelis.reporting.application;

import java.math.BigDecimal;

/** What one point costs the program, to put a money value on the outstanding liability. */
public record ReportSettings(String program, BigDecimal costPerPoint, String currency) {
}
