/**
 * Points: the ledger of what members earn and spend. The types in this package are the
 * module's API.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Points", allowedDependencies = "members")
package io.fidelis.points;
