/**
 * Members and programs: who belongs to which loyalty program, how they enrolled, and who is
 * calling. The types in this package are the module's API; everything below it is internal.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Members", allowedDependencies = {})
package io.fidelis.members;
