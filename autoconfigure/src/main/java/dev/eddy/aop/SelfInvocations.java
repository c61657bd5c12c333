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
 * invokes an annotated method of the same class is reported. A call on another instance of the
 * same class is reported too (bytecode does not tell the receiver apart cheaply); that is rare.
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
				return new MethodVisitor(SpringAsmInfo.ASM_VERSION) {

					@Override
					public void visitMethodInsn(int opcode, String owner, String calledName, String calledDescriptor,
							boolean isInterface) {
						if ((opcode == Opcodes.INVOKEVIRTUAL || opcode == Opcodes.INVOKESPECIAL) && owner.equals(internalName)
								&& !(calledName.equals(name) && calledDescriptor.equals(descriptor))) {
							String callee = targets.get(calledName + calledDescriptor);
							if (callee != null) {
								found.add(shortName + "#" + caller + " calls " + shortName + "#" + callee);
							}
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
