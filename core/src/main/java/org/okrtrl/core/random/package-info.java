/** The seeded random generators of the learning core (reproducible across runs and JVMs). */
package org.okrtrl.core.random;
