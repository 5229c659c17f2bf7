package io.chatstream.connector.provider;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Names the vendor and the case in every failure of {@link ProviderContractTest}: a report that
 * flattens the class's invocations (Surefire's: {@code everyFailure…(String, ErrorCode)[13]}) still
 * says which vendor failed which case ({@code lingoblocks, everyFailure… [13] #sim:… -> …: …}).
 */
final class NamedFailures implements InvocationInterceptor {

    @Override
    public void interceptTestMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context)
            throws Throwable {
        named(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context)
            throws Throwable {
        named(invocation, context);
    }

    @Override
    public void interceptDynamicTest(
            Invocation<Void> invocation, DynamicTestInvocationContext call, ExtensionContext context) throws Throwable {
        named(invocation, context);
    }

    private static void named(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        try {
            invocation.proceed();
        } catch (Throwable failure) {
            String method = context.getTestMethod().map(Method::getName).orElse("vendor case");
            String display = context.getDisplayName();
            String test = display.startsWith(method)
                    ? display
                    : String.join(" ", List.of(method, display)).trim();
            AssertionError named =
                    new AssertionError(vendor(context) + ", " + test + ": " + failure.getMessage(), failure);
            named.setStackTrace(failure.getStackTrace());
            throw named;
        }
    }

    /** The vendor of the class invocation the test runs in (a dynamic test's instance is its factory's). */
    private static Object vendor(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context);
                c.isPresent();
                c = c.get().getParent()) {
            Optional<Object> instance = c.get().getTestInstance();
            if (instance.isPresent()) {
                return ((ProviderContractTest) instance.get()).vendor;
            }
        }
        return "?";
    }
}
