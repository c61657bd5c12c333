package dev.eddy.aop;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;
import org.springframework.asm.SpringAsmInfo;
import org.springframework.asm.Type;
import org.springframework.util.ClassUtils;

/**
 * Finds calls a class makes to its own {@code @RunOnExecutor} methods ({@code this.render(...)}),
 * which bypass Spring's proxy and run on the caller's thread, as a self-call of {@code @Async}
 * does. Reads the class's bytecode once, at startup: an instance method (or a lambda in one) that
 * invokes an annotated method of the same class is reported, unless that method also obtains
 * another reference of the class's type (a cast of {@code ObjectProvider.getObject()}, a
 * self-injected field, a method returning the type): bytecode does not tell receivers apart
 * cheaply, and such a method most likely calls through the proxy. Heuristic, never fails startup.
 * <p>Thread-safe (stateless).
 */
public final class SelfInvocations {

	private SelfInvocations() {
	}

	/**
	 * The self-calls of a class to its annotated methods.
	 * @param type the bean's class (not a proxy's)
	 * @param annotated its {@code @RunOnExecutor} methods
	 * @return one line per call site, {@code Caller#method calls callee}, in bytecode order;
	 * empty when the class file cannot be read
	 */
	public static List<String> find(Class<?> type, Collection<Method> annotated) {
		Map<String, String> targets = new HashMap<>();
		for (Method method : annotated) {
			if (method.getDeclaringClass().isAssignableFrom(type)) {
				targets.put(method.getName() + Type.getMethodDescriptor(method), method.getName());
			}
		}
		if (targets.isEmpty()) {
			return List.of();
		}
		String internalName = Type.getInternalName(type);
		byte[] bytes = read(type, internalName);
		if (bytes == null) {
			return List.of();
		}
		String shortName = ClassUtils.getShortName(type);
		Set<String> found = new LinkedHashSet<>();
		new ClassReader(bytes).accept(new ClassVisitor(SpringAsmInfo.ASM_VERSION) {

			@Override
			public @Nullable MethodVisitor visitMethod(int access, String name, String descriptor, @Nullable String signature,
					String @Nullable [] exceptions) {
				if ((access & Opcodes.ACC_STATIC) != 0 && !name.startsWith("lambda$")) {
					return null;
				}
				String caller = callerName(name);
				String ownDescriptor = "L" + internalName + ";";
				return new MethodVisitor(SpringAsmInfo.ASM_VERSION) {

					private final Set<String> calls = new LinkedHashSet<>();

					/** Whether the method gets a reference of its own type other than {@code this} (the proxy). */
					private boolean otherReference;

					@Override
					public void visitMethodInsn(int opcode, String owner, String calledName, String calledDescriptor,
							boolean isInterface) {
						if (calledDescriptor.endsWith(")" + ownDescriptor)) {
							this.otherReference = true; // self.getObject() cast, a getter of the proxy
						}
						if ((opcode == Opcodes.INVOKEVIRTUAL || opcode == Opcodes.INVOKESPECIAL) && owner.equals(internalName)
								&& !(calledName.equals(name) && calledDescriptor.equals(descriptor))) {
							String callee = targets.get(calledName + calledDescriptor);
							if (callee != null) {
								this.calls.add(shortName + "#" + caller + " calls " + shortName + "#" + callee);
							}
						}
					}

					@Override
					public void visitTypeInsn(int opcode, String type) {
						if (opcode == Opcodes.CHECKCAST && type.equals(internalName)) {
							this.otherReference = true;
						}
					}

					@Override
					public void visitFieldInsn(int opcode, String owner, String fieldName, String fieldDescriptor) {
						if (fieldDescriptor.equals(ownDescriptor)) {
							this.otherReference = true; // a self-injected (@Lazy) field
						}
					}

					@Override
					public void visitEnd() {
						if (!this.otherReference) {
							found.addAll(this.calls);
						}
					}

				};
			}

		}, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
		return new ArrayList<>(found);
	}

	/** {@code lambda$renderAll$0} was written inside {@code renderAll}. */
	private static String callerName(String name) {
		if (name.startsWith("lambda$")) {
			int end = name.indexOf('$', 7);
			return ((end > 7) ? name.substring(7, end) : name) + " (in a lambda)";
		}
		return name;
	}

	private static byte @Nullable [] read(Class<?> type, String internalName) {
		ClassLoader loader = type.getClassLoader();
		if (loader == null) {
			return null;
		}
		try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
			return (in != null) ? in.readAllBytes() : null;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

}
