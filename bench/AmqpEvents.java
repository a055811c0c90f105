import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.FileWriter;
import java.io.PrintWriter;
import java.util.Map;

/**
 * The events exchange's side of bench/events-crash, run with the JDK's source launcher on Roster's jar (which holds
 * the RabbitMQ client):
 *   java -cp target/roster.jar bench/AmqpEvents.java bind  AMQP_URL EXCHANGE QUEUE
 *       declares the topic exchange as Roster does (durable) and a durable queue bound to it with '#', before any
 *       event is published, so that the queue holds every event across the servers' kill -9s
 *   java -cp target/roster.jar bench/AmqpEvents.java drain AMQP_URL QUEUE FILE
 *       takes every message the queue holds now and appends its message id (the event id) to FILE, one per line
 *   java -cp target/roster.jar bench/AmqpEvents.java delete AMQP_URL EXCHANGE QUEUE
 */
public class AmqpEvents {
    public static void main(String[] args) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(args[1]);
        if (factory.getVirtualHost().isEmpty()) {
            factory.setVirtualHost("/"); // amqp://host:5672/ names the default virtual host, as Roster reads it
        }
        try (Connection connection = factory.newConnection("roster-bench-events");
             Channel channel = connection.createChannel()) {
            switch (args[0]) {
                case "bind" -> {
                    channel.exchangeDeclare(args[2], "topic", true);
                    channel.queueDeclare(args[3], true, false, false, Map.of());
                    channel.queueBind(args[3], args[2], "#");
                }
                case "drain" -> {
                    int taken = 0;
                    try (PrintWriter out = new PrintWriter(new FileWriter(args[3], true))) {
                        GetResponse message;
                        while ((message = channel.basicGet(args[2], false)) != null) {
                            out.println(message.getProps().getMessageId());
                            channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
                            taken++;
                        }
                    }
                    System.out.println(taken);
                }
                case "delete" -> {
                    channel.queueDelete(args[3]);
                    channel.exchangeDelete(args[2]);
                }
                default -> throw new IllegalArgumentException("bind, drain or delete: " + args[0]);
            }
        }
    }
}
