/**
 * Dense linear algebra on row-major double arrays with caller-owned output buffers (no
 * allocation in the per-event path): the Vector API kernels for the large products, a BLAS
 * fallback, and the small symmetric eigen/SVD solver used by the OK reduction.
 */
package org.okrtrl.core.linalg;
