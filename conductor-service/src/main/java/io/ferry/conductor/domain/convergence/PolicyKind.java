package io.ferry.conductor.domain.convergence;

/** Which convergence policy drives a migration. */
public enum PolicyKind {
    /** Nova's libvirt driver behaviour, so an operator's nova.conf keeps its meaning. */
    NOVA,
    /** Ferry's default: forecast from dirty rate and bandwidth, act as soon as the answer is known. */
    PREDICTIVE,
    /** KubeVirt's defaults, kept for comparison in benchmarks. */
    KUBEVIRT
}
