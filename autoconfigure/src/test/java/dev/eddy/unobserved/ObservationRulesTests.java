package dev.eddy.unobserved;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import dev.eddy.concurrent.Futures;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.eddy.testsupport.GarbageCollection.awaitReports;
import static dev.eddy.testsupport.GarbageCollection.settle;
import static dev.eddy.testsupport.GarbageCollection.sleep;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Observation rules at the edges found in review: registering a callback is not observing, a
 * copy into a target that is already done leaves the duty with the source, and a failure that
 * starts after {@code whenComplete} is tracked.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ObservationRulesTests {

	private final ConcurrentLinkedQueue<UnobservedFailure> reports = new ConcurrentLinkedQueue<>();

	private UnobservedFailureDetector detector;

	private EventLoop loop;

	@BeforeEach
	void setUp() {
		this.detector = UnobservedFailureDetector.builder().listener(this.reports::add).build();
		this.loop = EventLoop.builder("rules").unobservedFailureDetector(this.detector).onCurrentThread();
	}

	@AfterEach
	void tearDown() {
		this.loop.close();
		this.detector.close();
	}

	@Test
	@DisplayName("GC-5/IOL-1: addFuture on an Eddy CompletableFuture does not observe its failure")
	void addFuture_onEddyCompletableFuture_doesNotObserve() {
		failViewWatchedByAddFuture();
		awaitReports(this.reports, 1);
		assertThat(this.reports).singleElement().satisfies((r) -> assertThat(r.exception()).hasMessage("watched only"));
	}

	private void failViewWatchedByAddFuture() {
		LoopFuture<String> future = this.loop.newFuture();
		CompletableFuture<String> view = future.toCompletableFuture();
		this.loop.addFuture(view, (stage) -> {
		});
		future.setException(new IOException("watched only"));
		this.loop.runUntilIdle();
	}

	@Test
	@DisplayName("CH-8: a CompletableFuture source chained into a target already done keeps its duty")
	void chain_completableSourceIntoDoneTarget_keepsTheDuty() {
		chainViewIntoDoneTargets();
		awaitReports(this.reports, 2);
		settle();
		assertThat(this.reports).hasSize(2);
	}

	private void chainViewIntoDoneTargets() {
		Futures futures = Futures.of(this.loop);
		LoopFuture<String> first = this.loop.newFuture();
		CompletableFuture<String> view = first.toCompletableFuture();
		LoopFuture<String> doneTarget = this.loop.newFuture();
		doneTarget.setResult("already");
		futures.chain(view, doneTarget);
		LoopFuture<String> second = this.loop.newFuture();
		CompletableFuture<String> otherView = second.toCompletableFuture();
		futures.chain(otherView, CompletableFuture.completedFuture("already"));
		first.setException(new IOException("into a done LoopFuture"));
		second.setException(new IOException("into a done CompletableFuture"));
		this.loop.runUntilIdle();
	}

	@Test
	@DisplayName("whenComplete: the failure its action saw is observed, a later failure downstream is not")
	void whenComplete_dependents_areTrackedForNewFailures() {
		abandonAfterWhenComplete();
		awaitReports(this.reports, 1);
		settle();
		assertThat(this.reports).singleElement()
			.satisfies((r) -> assertThat(r.exception()).hasMessage("thrown downstream of whenComplete"));
	}

	private void abandonAfterWhenComplete() {
		LoopFuture<String> failing = this.loop.newFuture();
		failing.toCompletableFuture().whenComplete((v, t) -> {
		}); // saw the failure: no report for it or for whenComplete's dependent
		LoopFuture<String> succeeding = this.loop.newFuture();
		succeeding.toCompletableFuture().whenComplete((v, t) -> {
		}).thenApply((v) -> {
			throw new IllegalStateException("thrown downstream of whenComplete");
		});
		failing.setException(new IOException("seen by the action"));
		succeeding.setResult("ok");
		this.loop.runUntilIdle();
	}

}
